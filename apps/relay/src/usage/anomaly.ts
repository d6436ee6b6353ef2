import type { MonitoringSettings } from "../config/relay-config.ts";

/** Milliseconds in one usage bucket hour. */
export const HOUR_MS = 3_600_000;

/** The hour number (hours since the epoch, UTC) of an epoch-ms time. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/** What the rate check needs about one subject. */
export interface RateHistory {
  /** The hour being judged and its request count so far. */
  hour: number;
  requests: number;
  /** The first hour the subject was ever counted. */
  firstHour: number;
  /** Requests in an earlier hour (0 when none were counted). */
  requestsIn(hour: number): number;
}

/**
 * The hourly baseline when `history.requests` is a rate jump, else null. The baseline is the
 * mean per hour over the `baselineHours` hours before this one (fewer for a younger subject,
 * counting quiet hours as 0), and the hour is a jump when it reaches `rateFactor` times that
 * and at least `minRequests`. A subject counted for the first time this hour has no baseline
 * yet: nothing is a jump until one earlier hour exists (a new key is not an anomaly).
 * @example
 * rateJump({ hour: 10, requests: 500, firstHour: 0, requestsIn: () => 20 }, settings) // 20
 */
export function rateJump(history: RateHistory, settings: MonitoringSettings): number | null {
  const span = Math.min(settings.baselineHours, history.hour - history.firstHour);
  if (span < 1) return null;
  let total = 0;
  for (let back = 1; back <= span; back++) total += history.requestsIn(history.hour - back);
  const baseline = total / span;
  const threshold = Math.max(settings.minRequests, settings.rateFactor * baseline);
  return history.requests >= threshold ? Math.round(baseline * 100) / 100 : null;
}

/**
 * The countries of `seen` that are new for a subject that already has `known` ones. A subject's
 * very first country is its baseline, not an anomaly. Unknown values (no `cf`) never count.
 * @example
 * newCountries(["DE"], ["DE", "BR"]) // ["BR"]
 */
export function newCountries(known: readonly string[], seen: readonly string[]): string[] {
  if (known.length === 0) return [];
  return [...new Set(seen)].filter((country) => !known.includes(country));
}

/**
 * A country from `request.cf.country` as counters keep it: two letters upper-cased (Cloudflare
 * also sends `T1` for Tor), or null when absent or malformed (never trusted as free text).
 */
export function countryCode(value: unknown): string | null {
  return typeof value === "string" && /^[A-Za-z][A-Za-z0-9]$/.test(value) ? value.toUpperCase() : null;
}
