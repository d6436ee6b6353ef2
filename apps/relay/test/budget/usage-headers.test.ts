import { describe, expect, it } from "vitest";
import type { CacheSettings } from "../../src/config/relay-config.ts";
import { backoffUntil } from "../../src/instagram/upstream-budget.ts";
import { readUsageHeaders, usageFor } from "../../src/instagram/usage-headers.ts";

const SETTINGS: CacheSettings = {
  profileCacheSeconds: 300,
  mediaCacheSeconds: 300,
  usageThreshold: 90,
  backoffSeconds: 120,
};
const NOW = 1_800_000_000_000;
const ACCOUNT = "17841477965412211";

function headers(business: unknown, app?: unknown): Headers {
  const h = new Headers();
  if (business !== undefined) h.set("X-Business-Use-Case-Usage", JSON.stringify(business));
  if (app !== undefined) h.set("X-App-Usage", JSON.stringify(app));
  return h;
}

function entry(callCount: number, regainMinutes = 0) {
  return {
    type: "instagram",
    call_count: callCount,
    total_cputime: 3,
    total_time: 4,
    estimated_time_to_regain_access: regainMinutes,
  };
}

describe("readUsageHeaders", () => {
  it("reads Instagram's formats: percentages, regain time in minutes", () => {
    const usage = readUsageHeaders(
      headers({ [ACCOUNT]: [entry(12, 7)] }, { call_count: 5, total_cputime: 61, total_time: 2 }),
    );
    expect(usage.appPercent).toBe(61);
    expect(usage.accounts.get(ACCOUNT)).toEqual({ percent: 12, regainSeconds: 420 });
  });

  it("treats a missing or malformed header as unknown, not as zero usage", () => {
    const none = readUsageHeaders(new Headers());
    expect(none.appPercent).toBeNull();
    expect(none.accounts.size).toBe(0);
    const bad = new Headers({ "X-App-Usage": "{nope", "X-Business-Use-Case-Usage": '"text"' });
    expect(readUsageHeaders(bad).appPercent).toBeNull();
    expect(usageFor(readUsageHeaders(bad), ACCOUNT)).toBeNull();
  });

  it("uses the account's own entry, else the worst one reported", () => {
    const usage = readUsageHeaders(headers({ "1": [entry(10)], "2": [entry(97, 1)] }));
    expect(usageFor(usage, "1")).toEqual({ percent: 10, regainSeconds: 0 });
    expect(usageFor(usage, ACCOUNT)).toEqual({ percent: 97, regainSeconds: 60 });
  });
});

describe("backoffUntil", () => {
  const report = (business: unknown, app?: unknown, failure: "rate_limited" | null = null) => ({
    usage: readUsageHeaders(headers(business, app)),
    failure: failure ? { code: failure } : null,
  });

  it("does not back off under the threshold, nor when the headers are missing", () => {
    expect(
      backoffUntil(report({ [ACCOUNT]: [entry(89)] }, { call_count: 50 }), ACCOUNT, SETTINGS, NOW),
    ).toBeNull();
    expect(backoffUntil(report(undefined), ACCOUNT, SETTINGS, NOW)).toBeNull();
  });

  it("backs off at the threshold for the default time when Instagram names no regain time", () => {
    expect(backoffUntil(report({ [ACCOUNT]: [entry(90)] }), ACCOUNT, SETTINGS, NOW)).toBe(NOW + 120_000);
    expect(backoffUntil(report({}, { call_count: 100 }), ACCOUNT, SETTINGS, NOW)).toBe(NOW + 120_000);
  });

  it("waits for Instagram's regain time (minutes) when it gives one", () => {
    expect(backoffUntil(report({ [ACCOUNT]: [entry(100, 25)] }), ACCOUNT, SETTINGS, NOW)).toBe(
      NOW + 25 * 60_000,
    );
    expect(backoffUntil(report({ [ACCOUNT]: [entry(3, 2)] }), ACCOUNT, SETTINGS, NOW)).toBe(NOW + 120_000);
  });

  it("backs off on a rate-limit error even without any usage header", () => {
    expect(backoffUntil(report(undefined, undefined, "rate_limited"), ACCOUNT, SETTINGS, NOW)).toBe(
      NOW + 120_000,
    );
  });
});
