import { describe, expect, it } from "vitest";
import { usableUntil } from "../../src/cache/read-context.ts";
import { MEDIA_MAX_AGE_SECONDS, readSettings } from "../../src/cache/read-settings.ts";
import { earliestUrlExpiry, urlExpiry } from "../../src/cache/url-expiry.ts";
import { FailureError } from "../../src/result.ts";

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

describe("readSettings", () => {
  it("uses defaults when unset and refuses out-of-range values naming the setting", () => {
    expect(readSettings({})).toEqual({
      profileCacheSeconds: 300,
      mediaCacheSeconds: 300,
      usageThreshold: 90,
      backoffSeconds: 300,
    });
    expect(readSettings({ MEDIA_CACHE_SECONDS: "0" }).mediaCacheSeconds).toBe(0);
    for (const bad of [
      { MEDIA_CACHE_SECONDS: "99999" },
      { UPSTREAM_USAGE_THRESHOLD: "0" },
      { PROFILE_CACHE_SECONDS: "5m" },
    ]) {
      let thrown: unknown;
      try {
        readSettings(bad);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(FailureError);
      expect((thrown as FailureError).failure).toMatchObject({
        code: "config_error",
        setting: Object.keys(bad)[0],
      });
    }
  });
});
