import type { ConnectionRecord } from "../storage/connection-record.ts";
import { parseRefreshDueKey, REFRESH_MARGIN_MS } from "../storage/kv-keys.ts";

/** Instagram refuses to refresh a long-lived token younger than 24 hours. */
export const MIN_TOKEN_AGE_MS = 24 * 60 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;
/** First retry after about an hour, doubling per failure, never more than a day apart. */
const RETRY_BASE_MS = HOUR_MS;
const RETRY_CAP_MS = 24 * HOUR_MS;

/** Where a record stands for refresh right now. */
export type Readiness = "expired" | "too_young" | "not_due" | "due";

/**
 * Due means: unexpired, at least 24 h old and expiring within the window (S25). Checked on the
 * record as re-read under the connection's lock, never on the index entry that led here.
 */
export function refreshReadiness(record: ConnectionRecord, nowMs: number, windowMs: number): Readiness {
  const expiresAt = Date.parse(record.tokenExpiresAt);
  if (!(expiresAt > nowMs)) return "expired";
  if (nowMs - Date.parse(record.tokenIssuedAt) < MIN_TOKEN_AGE_MS) return "too_young";
  return expiresAt - nowMs <= windowMs ? "due" : "not_due";
}

/**
 * The last `due:` day a sweep must read. Index entries are dated REFRESH_MARGIN_MS before
 * expiry; a wider configured window looks that much further ahead.
 */
export function dueCutoffDay(nowMs: number, windowMs: number): string {
  return new Date(nowMs + Math.max(0, windowMs - REFRESH_MARGIN_MS)).toISOString().slice(0, 10);
}

/**
 * Delay before retry number `failures` (1-based) after a transient failure: exponential with
 * "equal jitter" (half fixed, half random) so retries of many connections spread out.
 */
export function retryDelayMs(failures: number, random: () => number = secureRandom): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

function secureRandom(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32;
}

/** How long before expiry the last retry is scheduled at the latest. */
export const RETRY_EXPIRY_MARGIN_MS = HOUR_MS;

/**
 * When retry number `failures` may run: `retryDelayMs` from now, but never later than an hour
 * before the token expires (a backoff must not outlast the token it is trying to save).
 */
export function retryAt(
  nowMs: number,
  failures: number,
  expiresAtMs: number,
  random: () => number = secureRandom,
): number {
  const latest = expiresAtMs - RETRY_EXPIRY_MARGIN_MS;
  return Math.max(nowMs, Math.min(nowMs + retryDelayMs(failures, random), latest));
}

/**
 * The connections due on one listed page of `due:` keys (sorted by date): each at most once
 * across pages (`seen` spans the walk), at most `limit` in all, and whether the page reached a
 * date past `cutoff` (the walk can stop there). Used by the cron's queued walk.
 */
export function dueOnPage(
  keys: readonly { name: string }[],
  cutoff: string,
  seen: Set<string>,
  limit = Number.POSITIVE_INFINITY,
): { due: string[]; reachedFuture: boolean } {
  const due: string[] = [];
  for (const key of keys) {
    const entry = parseRefreshDueKey(key.name);
    if (!entry) continue;
    if (entry.dueDate > cutoff) return { due, reachedFuture: true };
    if (seen.has(entry.connectionId) || seen.size >= limit) continue;
    seen.add(entry.connectionId);
    due.push(entry.connectionId);
  }
  return { due, reachedFuture: false };
}
