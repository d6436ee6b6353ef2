import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/relay-config.ts";
import worker from "../../src/index.ts";
import { settings } from "../support/config.ts";

describe("scopes follow features", () => {
  it("refuses at start-up (config_error ALLOWED_SCOPES) a scope no enabled feature uses", () => {
    const messaging = loadConfig(
      settings({ ALLOWED_SCOPES: "instagram_business_basic,instagram_business_manage_messages" }),
    );
    expect(messaging).toMatchObject({
      ok: false,
      failure: { code: "config_error", setting: "ALLOWED_SCOPES" },
    });
    const insightsOff = loadConfig(
      settings({ FEATURES: "publishing,comments", ALLOWED_SCOPES: "instagram_business_manage_insights" }),
    );
    expect(insightsOff).toMatchObject({
      ok: false,
      failure: { code: "config_error", setting: "ALLOWED_SCOPES" },
    });
    const publishingOnly = loadConfig(
      settings({ FEATURES: "publishing", ALLOWED_SCOPES: "instagram_business_content_publish" }),
    );
    expect(publishingOnly.ok && publishingOnly.value.actions.features).toEqual(["publishing"]);
    expect(loadConfig(settings({ FEATURES: "publishing,dms" }))).toMatchObject({
      ok: false,
      failure: { code: "config_error", setting: "FEATURES" },
    });
  });

  it("every default feature's scope is accepted (FEATURES absent = all)", () => {
    const all = loadConfig(settings({ FEATURES: undefined }));
    expect(all.ok && all.value.actions.features).toEqual(["publishing", "comments", "insights"]);
  });

  it("a whole relay with such a scope answers config_error (ALLOWED_SCOPES) on every route family", async () => {
    // The deployed worker's own entry point, with the real bindings and only these settings changed.
    const misconfigured = [
      { ALLOWED_SCOPES: "instagram_business_basic,instagram_business_manage_messages" },
      { FEATURES: "publishing,comments", ALLOWED_SCOPES: "instagram_business_manage_insights" },
    ];
    // What the worker's fetch receives in production (an incoming request carries `cf`).
    const incoming = (url: string, headers: Record<string, string>) =>
      new Request(`https://relay.test${url}`, { headers }) as Request<unknown, IncomingRequestCfProperties>;
    const requests = [
      () => incoming("/v1/oauth/start", { Accept: "application/json" }),
      () => incoming("/v1/api/connections", { Authorization: "Bearer x" }),
      () => incoming("/v1/connections/me", { Authorization: "Bearer x" }),
    ];
    for (const overrides of misconfigured) {
      for (const request of requests) {
        const ctx = createExecutionContext();
        const response = await worker.fetch(request(), { ...env, ...overrides } as Env, ctx);
        await waitOnExecutionContext(ctx);
        expect(response.status).toBe(500);
        expect(await response.json()).toMatchObject({
          error: { code: "config_error", setting: "ALLOWED_SCOPES" },
        });
      }
    }
    // The same requests with the test settings are not a config error.
    const ctx = createExecutionContext();
    const fine = await worker.fetch(incoming("/v1/api/connections", { Authorization: "Bearer x" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(fine.status).toBe(401);
  });
});
