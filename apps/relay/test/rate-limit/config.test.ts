import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../../src/config/rate-limit-policies.ts";
import { rateLimitSettings } from "../../src/config/relay-config.ts";

const parseRateLimits = (raw: unknown) => rateLimitSettings({ RATE_LIMITS: raw });

describe("RATE_LIMITS validation", () => {
  it("uses the documented defaults when the var is absent or empty", () => {
    expect(parseRateLimits(undefined)).toEqual({ ok: true, value: DEFAULT_RATE_LIMITS });
    expect(parseRateLimits("  ")).toEqual({ ok: true, value: DEFAULT_RATE_LIMITS });
    expect(DEFAULT_RATE_LIMITS.oauth).toEqual({ limit: 20, windowSeconds: 60, burst: 10 });
  });

  it("accepts the object from wrangler.jsonc as bound in the worker", () => {
    expect(parseRateLimits(env.RATE_LIMITS)).toEqual({ ok: true, value: DEFAULT_RATE_LIMITS });
  });

  it("accepts a JSON string (as .dev.vars gives it); given families replace their defaults", () => {
    const result = parseRateLimits(
      '{"oauth":{"limit":5,"windowSeconds":30},"api":{"limit":0,"windowSeconds":1}}',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        ...DEFAULT_RATE_LIMITS,
        oauth: { limit: 5, windowSeconds: 30, burst: 4 },
        api: { limit: 0, windowSeconds: 1, burst: 0 },
      },
    });
  });

  it.each([
    ["not JSON", "{oauth:", "not valid JSON"],
    ["an unknown family", { oauht: { limit: 1, windowSeconds: 1 } }, "unrecognized_keys"],
    ["an unknown field", { oauth: { limit: 1, windowSeconds: 1, max: 2 } }, "unrecognized_keys"],
    ["a missing window", { widget: { limit: 1 } }, "widget.windowSeconds"],
    ["a negative limit", { api: { limit: -1, windowSeconds: 60 } }, "api.limit: too_small"],
    ["a fractional burst", { api: { limit: 1, windowSeconds: 60, burst: 0.5 } }, "api.burst"],
    ["a zero window", { upstream: { limit: 1, windowSeconds: 0 } }, "upstream.windowSeconds: too_small"],
    ["a window over a day", { upstream: { limit: 1, windowSeconds: 86_401 } }, "too_big"],
    ["a non-object", 42, "(root)"],
  ])("refuses %s, naming RATE_LIMITS", (_label, raw, reason) => {
    const result = parseRateLimits(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ code: "config_error", setting: "RATE_LIMITS" });
    expect(result.failure.reason).toContain(reason);
  });
});
