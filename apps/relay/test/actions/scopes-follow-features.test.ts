import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/relay-config.ts";
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
});
