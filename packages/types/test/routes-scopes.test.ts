import { describe, expect, it } from "vitest";
import { DEFAULT_SCOPES, INSTAGRAM_SCOPES, isInstagramScope, ROUTES, routePath } from "../src/index.ts";

describe("routes", () => {
  it("fills and encodes path parameters", () => {
    expect(routePath(ROUTES.oauthAttempt, { attemptId: "a/b?c" })).toBe("/v1/oauth/attempts/a%2Fb%3Fc");
  });

  it("refuses to build a path with a missing parameter", () => {
    expect(() => routePath(ROUTES.oauthAttempt)).toThrow(/attemptId/);
  });

  it("keeps every route versioned except health, the OpenAPI document and the well-known JWKS", () => {
    const unversioned = Object.values(ROUTES).filter((path) => !path.startsWith("/v1/"));
    expect(unversioned.sort()).toEqual(["/.well-known/jwks.json", "/health", "/openapi.json"]);
  });
});

describe("scopes", () => {
  it("accepts only current Instagram Login scope names", () => {
    expect(INSTAGRAM_SCOPES).toContain("instagram_business_basic");
    for (const legacy of [
      "business_basic",
      "instagram_basic",
      "user_profile",
      "user_media",
      "pages_show_list",
    ]) {
      expect(isInstagramScope(legacy)).toBe(false);
    }
  });

  it("defaults to the basic scope every connection needs", () => {
    expect(DEFAULT_SCOPES).toEqual(["instagram_business_basic"]);
  });
});
