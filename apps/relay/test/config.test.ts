import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { loadConfig, type SettingName } from "../src/config/relay-config.ts";
import { settings } from "./support/config.ts";
import { recordResponse } from "./support/leak-collector.ts";

async function startWith(overrides: Record<string, unknown>) {
  const app = createApp();
  const response = await app.fetch(
    new Request("https://relay.test/v1/oauth/start", { headers: { Accept: "application/json" } }),
    { ...env, ...overrides },
  );
  const text = await response.text();
  recordResponse("config start", text);
  return { status: response.status, text, body: JSON.parse(text) as { error: Record<string, unknown> } };
}

describe("config", () => {
  it("accepts the test env", () => {
    expect(loadConfig(settings()).ok).toBe(true);
  });

  it.each<[SettingName, unknown]>([
    ["INSTAGRAM_CLIENT_ID", undefined],
    ["INSTAGRAM_CLIENT_SECRET", undefined],
    ["TOKEN_ENCRYPTION_KEYS", undefined],
    ["TOKEN_ENCRYPTION_KEYS", "k1:c2hvcnQ="],
    ["TOKEN_ENCRYPTION_KEYS", "not a key list"],
    ["ALLOWED_ORIGINS", "https://app.example.com/"],
    ["ALLOWED_ORIGINS", "https://*.example.com"],
    ["ALLOWED_RETURN_TO", "https://app.example.com/connected#x"],
    ["ALLOWED_SCOPES", "instagram_basic"],
    ["INSTAGRAM_REDIRECT_URI", "not a url"],
    ["INSTAGRAM_GRAPH_VERSION", "25"],
    ["UPSTREAM_TIMEOUT_MS", "soon"],
    ["ALLOW_INSECURE_INSTAGRAM", "yes"],
  ])("fails with config_error naming %s (value %j), never echoing the value", async (setting, value) => {
    const result = loadConfig(settings({ [setting]: value }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ code: "config_error", setting });

    const { status, body, text } = await startWith({ [setting]: value });
    expect(status).toBe(500);
    expect(body.error).toMatchObject({ code: "config_error", setting });
    if (typeof value === "string" && value.length > 3) expect(text).not.toContain(value);
  });

  it("S21: a missing encryption key fails loudly at the first request, not with a default key", async () => {
    const { status, body } = await startWith({ TOKEN_ENCRYPTION_KEYS: undefined });
    expect(status).toBe(500);
    expect(body.error).toEqual({
      code: "config_error",
      message: "The relay is not configured correctly.",
      setting: "TOKEN_ENCRYPTION_KEYS",
    });
  });

  it.each(["INSTAGRAM_AUTHORIZE_URL", "INSTAGRAM_API_BASE", "INSTAGRAM_GRAPH_BASE"] as const)(
    "refuses a non-https %s unless ALLOW_INSECURE_INSTAGRAM=true",
    (setting) => {
      const insecure = "http://localhost:8788/oauth/authorize";
      const refused = loadConfig(settings({ [setting]: insecure, ALLOW_INSECURE_INSTAGRAM: "false" }));
      expect(refused).toMatchObject({ ok: false, failure: { code: "config_error", setting } });
      expect(loadConfig(settings({ [setting]: insecure, ALLOW_INSECURE_INSTAGRAM: "true" })).ok).toBe(true);
    },
  );

  it("always allows instagram_business_basic and keeps the configured order", () => {
    const result = loadConfig(settings({ ALLOWED_SCOPES: "instagram_business_content_publish" }));
    expect(result.ok && result.value.oauth.allowedScopes).toEqual([
      "instagram_business_basic",
      "instagram_business_content_publish",
    ]);
  });

  it("parses several keys, newest first", () => {
    const result = loadConfig(
      settings({ TOKEN_ENCRYPTION_KEYS: `k2:${btoa("b".repeat(32))},k1:${btoa("a".repeat(32))}` }),
    );
    expect(result.ok && result.value.vault.keys.kids).toEqual(["k2", "k1"]);
  });
});
