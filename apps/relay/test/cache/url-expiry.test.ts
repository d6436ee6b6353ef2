import { describe, expect, it } from "vitest";
import { earliestUrlExpiry, urlExpiry, usableUntil } from "../../src/cache/read-cache.ts";
import { cacheSettings, MEDIA_MAX_AGE_SECONDS } from "../../src/config/relay-config.ts";

const T = 1_800_000_000_000;
const oe = (ms: number) =>
  Math.floor(ms / 1000)
    .toString(16)
    .toUpperCase();

describe("signed URL expiry", () => {
  it("reads the hex `oe` expiry and keeps the earliest of many", () => {
    expect(urlExpiry(`https://cdn.test/a.jpg?stp=x&oe=${oe(T)}`)).toBe(T);
    expect(urlExpiry("https://cdn.test/a.jpg")).toBeNull();
    expect(urlExpiry("not a url")).toBeNull();
    expect(urlExpiry("https://cdn.test/a.jpg?oe=zz")).toBeNull();
    expect(
      earliestUrlExpiry([
        null,
        `https://cdn.test/a.jpg?oe=${oe(T + 9_000_000)}`,
        `https://cdn.test/b.jpg?oe=${oe(T + 3_000_000)}`,
      ]),
    ).toBe(T + 3_000_000);
  });

  it("never lets a cached read outlive its URLs (with a margin) nor a few hours", () => {
    expect(usableUntil(T, [])).toBe(T + MEDIA_MAX_AGE_SECONDS * 1000);
    expect(usableUntil(T, [`https://cdn.test/a.jpg?oe=${oe(T + 600_000)}`])).toBe(T + 540_000);
    expect(usableUntil(T, [`https://cdn.test/a.jpg?oe=${oe(T + 86_400_000)}`])).toBe(
      T + MEDIA_MAX_AGE_SECONDS * 1000,
    );
  });
});

describe("cacheSettings", () => {
  it("uses defaults when unset and refuses out-of-range values naming the setting", () => {
    expect(cacheSettings({})).toEqual({
      ok: true,
      value: { profileCacheSeconds: 300, mediaCacheSeconds: 300, usageThreshold: 90, backoffSeconds: 300 },
    });
    const zero = cacheSettings({ MEDIA_CACHE_SECONDS: "0" });
    expect(zero.ok && zero.value.mediaCacheSeconds).toBe(0);
    for (const bad of [
      { MEDIA_CACHE_SECONDS: "99999" },
      { UPSTREAM_USAGE_THRESHOLD: "0" },
      { PROFILE_CACHE_SECONDS: "5m" },
    ]) {
      expect(cacheSettings(bad)).toMatchObject({
        ok: false,
        failure: { code: "config_error", setting: Object.keys(bad)[0] },
      });
    }
  });
});
