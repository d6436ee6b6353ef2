/**
 * Instagram's usage headers, read from every upstream answer (instagram-api.md section 6).
 * Numbers are percentages of a budget (throttled at 100); the regain time is in MINUTES.
 * A missing or unreadable header is `null`, never zero: absence says nothing about usage.
 */

/** One account's business use-case usage. */
export interface AccountUsage {
  /** The highest of call_count, total_cputime and total_time (percent). */
  percent: number;
  /** `estimated_time_to_regain_access` converted to seconds (0 when not throttled). */
  regainSeconds: number;
}

/** What one upstream answer said about the budgets. */
export interface UpstreamUsage {
  /** `X-App-Usage` (the app's budget), or null when absent or malformed. */
  appPercent: number | null;
  /** `X-Business-Use-Case-Usage` per Instagram account id; empty when absent or malformed. */
  accounts: ReadonlyMap<string, AccountUsage>;
}

/** Reads both usage headers; never throws on bad input. */
export function readUsageHeaders(headers: Headers): UpstreamUsage {
  return {
    appPercent: appPercent(parseJson(headers.get("X-App-Usage"))),
    accounts: businessUsage(parseJson(headers.get("X-Business-Use-Case-Usage"))),
  };
}

/**
 * The usage that applies to `accountId`: its own entry when the header names it, else the
 * highest entry (an answer for one token only reports that token's account, possibly by
 * another of its ids).
 */
export function usageFor(usage: UpstreamUsage, accountId: string): AccountUsage | null {
  const own = usage.accounts.get(accountId);
  if (own) return own;
  let worst: AccountUsage | null = null;
  for (const entry of usage.accounts.values()) {
    if (!worst || entry.percent > worst.percent || entry.regainSeconds > worst.regainSeconds) worst = entry;
  }
  return worst;
}

function appPercent(value: unknown): number | null {
  if (!isObject(value)) return null;
  const numbers = ["call_count", "total_cputime", "total_time"].map((name) => percent(value[name]));
  const known = numbers.filter((n): n is number => n !== null);
  return known.length === 0 ? null : Math.max(...known);
}

function businessUsage(value: unknown): Map<string, AccountUsage> {
  const accounts = new Map<string, AccountUsage>();
  if (!isObject(value)) return accounts;
  for (const [id, entries] of Object.entries(value)) {
    if (!Array.isArray(entries)) continue;
    let merged: AccountUsage | null = null;
    for (const entry of entries) {
      if (!isObject(entry)) continue;
      const numbers = [entry.call_count, entry.total_cputime, entry.total_time].map(percent);
      const known = numbers.filter((n): n is number => n !== null);
      const regainMinutes = percent(entry.estimated_time_to_regain_access) ?? 0;
      if (known.length === 0 && regainMinutes === 0) continue;
      const current = { percent: known.length ? Math.max(...known) : 0, regainSeconds: regainMinutes * 60 };
      merged = merged
        ? {
            percent: Math.max(merged.percent, current.percent),
            regainSeconds: Math.max(merged.regainSeconds, current.regainSeconds),
          }
        : current;
    }
    if (merged) accounts.set(id, merged);
  }
  return accounts;
}

function percent(value: unknown): number | null {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number >= 0 ? number : null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
