/**
 * GCRA (generic cell rate algorithm), the pure arithmetic behind the RateLimiter object.
 *
 * Why GCRA rather than a token bucket: both admit the same traffic, but GCRA keeps ONE number
 * per key (the theoretical arrival time, TAT) and needs no refill bookkeeping, so each decision is
 * one read and one write of a single integer. Time is in integer microseconds and the emission
 * interval is rounded UP, so rounding can only make the limiter stricter: the S28 bound
 * (accepted <= limit + burst in any window of `windowSeconds`) survives odd limits like 7 per 60 s.
 *
 * Proof sketch of the bound: every accepted request advances TAT by T = window / limit and a
 * request is accepted only if TAT <= now + tau (tau = burst * T). So n accepted requests in a
 * half-open window of length W satisfy (n - 1) * T - tau < W, i.e. n < limit + burst + 1.
 */

/** A policy as the limiter applies it. */
export interface GcraPolicy {
  limit: number;
  windowSeconds: number;
  burst: number;
}

/** The outcome of one decision, in whole seconds (rounded up) as HTTP headers want. */
export interface GcraDecision {
  allowed: boolean;
  /** Requests of cost 1 that would still be accepted right now. */
  remaining: number;
  /** Seconds until the key is back to a full burst (the draft's `t`). */
  resetSeconds: number;
  /** Seconds until this request would be accepted; 0 when allowed. */
  retryAfterSeconds: number;
  /** The TAT to store (unchanged when refused). */
  tat: number;
}

const MICROS_PER_SECOND = 1_000_000;

/** The emission interval in microseconds, rounded up so rounding never loosens the limit. */
export function emissionInterval(policy: GcraPolicy): number {
  return Math.ceil((policy.windowSeconds * MICROS_PER_SECOND) / policy.limit);
}

/** Throws a RangeError unless the policy and cost can be applied (programming errors, not traffic). */
export function assertGcraInput(policy: GcraPolicy, cost: number): void {
  const { limit, windowSeconds, burst } = policy;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 1)
    throw new RangeError("windowSeconds must be a positive integer");
  if (!Number.isSafeInteger(burst) || burst < 0) throw new RangeError("burst must be a non-negative integer");
  if (!Number.isSafeInteger(cost) || cost < 1 || cost > burst + 1)
    throw new RangeError("cost must be an integer from 1 to burst + 1");
}

/**
 * Decides one request of `cost` at `nowMicros` given the stored `tat` (undefined for a fresh key).
 * @example
 * const d = gcra(undefined, { limit: 20, windowSeconds: 60, burst: 19 }, 1, Date.now() * 1000);
 */
export function gcra(
  tat: number | undefined,
  policy: GcraPolicy,
  cost: number,
  nowMicros: number,
): GcraDecision {
  assertGcraInput(policy, cost);
  const interval = emissionInterval(policy);
  const tolerance = policy.burst * interval;
  const start = Math.max(tat ?? nowMicros, nowMicros);
  const earliest = start + (cost - 1) * interval - tolerance;

  if (earliest > nowMicros) {
    return {
      allowed: false,
      remaining: remainingAt(start, nowMicros, tolerance, interval),
      resetSeconds: ceilSeconds(start - nowMicros),
      retryAfterSeconds: Math.max(1, ceilSeconds(earliest - nowMicros)),
      tat: start,
    };
  }
  const next = start + cost * interval;
  return {
    allowed: true,
    remaining: remainingAt(next, nowMicros, tolerance, interval),
    resetSeconds: ceilSeconds(next - nowMicros),
    retryAfterSeconds: 0,
    tat: next,
  };
}

/** How many cost-1 requests fit before TAT passes now + tolerance. */
function remainingAt(tat: number, now: number, tolerance: number, interval: number): number {
  const room = now + tolerance - tat;
  return room < 0 ? 0 : Math.floor(room / interval) + 1;
}

function ceilSeconds(micros: number): number {
  return micros <= 0 ? 0 : Math.ceil(micros / MICROS_PER_SECOND);
}
