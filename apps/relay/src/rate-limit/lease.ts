import { now } from "../runtime.ts";
import type { ConsumeInput, ConsumeResult, LeaseResult } from "./rate-limiter.ts";

/**
 * How long units leased from a RateLimiter object may be spent in the isolate. Units granted at
 * t are spent by t + LEASE_TTL_MS or dropped, so any window of `windowSeconds` accepts at most
 * `limit + burst + ceil(limit * LEASE_TTL_MS / (windowSeconds * 1000))` requests per key, over
 * all isolates together (README "Widget read path"; lease.test.ts checks it).
 */
export const LEASE_TTL_MS = 2000;

/** Most units one lease asks for; a busy key's leases double up to this (under-admission bound). */
export const LEASE_MAX_UNITS = 16;

/** Keys whose leases one isolate tracks; the oldest are dropped first. */
const MAX_KEYS = 4096;

/** The stub slice leasing needs. */
export interface LeasingStub {
  lease(input: ConsumeInput & { want: number }): Promise<LeaseResult>;
}

interface Chunk {
  units: number;
  expiresAt: number;
}

interface KeyLease {
  chunks: Chunk[];
  /** Units spent since the last grant: the next lease asks for twice this. */
  demand: number;
  /** When a unit was last spent here; a key idle for a lease's lifetime is cold again. */
  lastSpentAt: number;
  /** The object's `remaining` at the last grant (for the RateLimit header). */
  remaining: number;
  resetSeconds: number;
  pending: Promise<LeaseResult> | null;
}

/**
 * The isolate's share of each limited key: units leased from the key's RateLimiter object and
 * spent here without a round trip. A cold key leases 1 unit on the request's path (exactly the
 * old cost); while a key is busy the next, larger lease is fetched in the background
 * (`defer`, i.e. `ctx.waitUntil`) before the current one runs out. Every unit is granted by the
 * object, so refusals stay exact; the trade is that a unit may be spent up to `LEASE_TTL_MS`
 * after its grant (the overshoot bound above), and units left when a lease expires are lost
 * (at most `LEASE_MAX_UNITS - 1` per isolate and key per lease).
 */
export class IsolateLeases {
  readonly #keys = new Map<string, KeyLease>();

  /** Spends one unit of `name`'s policy, from the isolate's lease when it has one. */
  async consume(
    name: string,
    stub: () => LeasingStub,
    input: ConsumeInput,
    defer: (work: Promise<unknown>) => void,
  ): Promise<ConsumeResult> {
    const key = this.#entry(name);
    // A few rounds: units granted to a shared lease may be taken by concurrent requests first.
    for (let round = 0; ; round++) {
      const taken = this.#take(key, input);
      if (taken) {
        // Only a busy key prefetches: a single read per page load never leases ahead.
        if (key.demand >= 2 && this.#units(key) * 2 < this.#want(key) && !key.pending) {
          defer(this.#refill(key, stub, input).catch(() => undefined));
        }
        return taken;
      }
      if (round === 3) break;
      const granted = await (key.pending ?? this.#refill(key, stub, input));
      // Refused: units an earlier lease brought in while this one was in flight still count.
      if (!granted.allowed) return this.#take(key, input) ?? granted;
    }
    const { granted: _granted, ...exact } = await stub().lease({ ...input, want: 1 });
    return exact;
  }

  #entry(name: string): KeyLease {
    let key = this.#keys.get(name);
    if (!key) {
      key = { chunks: [], demand: 0, lastSpentAt: 0, remaining: 0, resetSeconds: 0, pending: null };
      this.#keys.set(name, key);
      if (this.#keys.size > MAX_KEYS) {
        const oldest = this.#keys.keys().next().value;
        if (oldest !== undefined) this.#keys.delete(oldest);
      }
    }
    return key;
  }

  #units(key: KeyLease): number {
    const at = now();
    key.chunks = key.chunks.filter((chunk) => chunk.units > 0 && chunk.expiresAt > at);
    return key.chunks.reduce((sum, chunk) => sum + chunk.units, 0);
  }

  #want(key: KeyLease): number {
    if (now() - key.lastSpentAt > LEASE_TTL_MS) key.demand = 0;
    return Math.max(1, Math.min(LEASE_MAX_UNITS, key.demand * 2));
  }

  #take(key: KeyLease, input: ConsumeInput): ConsumeResult | null {
    if (this.#units(key) === 0) return null;
    // Chunks are in grant order, so the one expiring first is spent first.
    const chunk = key.chunks[0] as Chunk;
    chunk.units -= 1;
    key.demand += 1;
    key.lastSpentAt = now();
    const burst = input.burst ?? Math.max(0, input.limit - 1);
    return {
      allowed: true,
      remaining: key.remaining + this.#units(key),
      resetSeconds: key.resetSeconds,
      retryAfterSeconds: 0,
      limit: input.limit,
      windowSeconds: input.windowSeconds,
      burst,
    };
  }

  #refill(key: KeyLease, stub: () => LeasingStub, input: ConsumeInput): Promise<LeaseResult> {
    const want = this.#want(key);
    // Expiry counts from before the ask, so no unit outlives its grant by more than the TTL.
    const askedAt = now();
    const pending = stub()
      .lease({ ...input, want })
      .then((result) => {
        if (result.granted > 0) {
          key.chunks.push({ units: result.granted, expiresAt: askedAt + LEASE_TTL_MS });
          key.demand = 0;
          key.remaining = result.remaining;
          key.resetSeconds = result.resetSeconds;
        }
        return result;
      })
      .finally(() => {
        if (key.pending === pending) key.pending = null;
      });
    key.pending = pending;
    return pending;
  }
}

/** This isolate's leases (module state lives exactly as long as the isolate). */
export const isolateLeases = new IsolateLeases();
