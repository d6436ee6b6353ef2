import { DurableObject } from "cloudflare:workers";
import { now } from "../runtime.ts";
import { gcra } from "./gcra.ts";

/** Input of `RateLimiter.consume`. */
export interface ConsumeInput {
  /** Sustained requests per window; 0 only checks a pause (the middleware skips disabled families). */
  limit: number;
  windowSeconds: number;
  /** Extra requests accepted at once beyond the first after a quiet spell; defaults to `limit - 1`. */
  burst?: number;
  /** Units this request spends (default 1, at most burst + 1). */
  cost?: number;
  /** Epoch ms to decide at; production leaves it out so the object's own clock decides. */
  now?: number;
}

/** Outcome of `RateLimiter.consume`, in whole seconds. */
export interface ConsumeResult {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
  limit: number;
  windowSeconds: number;
  burst: number;
}

/** Outcome of `RateLimiter.lease`: the units granted (0 when refused). */
export interface LeaseResult extends ConsumeResult {
  granted: number;
}

/** What the object persists: the GCRA theoretical arrival time. */
export interface StoredGcraState {
  /** Theoretical arrival time in integer epoch microseconds; at or before now, the key is idle. */
  tat: number;
}

/** Storage key of the single row each limiter object keeps. */
export const GCRA_STATE_KEY = "gcra";

/** Storage key of a pause (`{ until }` in epoch ms on the relay clock), set by `pause()`. */
export const PAUSE_STATE_KEY = "pause";

/**
 * One GCRA limiter per limited key (`idFromName("<family>:<sha256(key)>")`), so no object is a
 * global bottleneck. State lives in SQLite-backed storage with an in-memory copy; the synchronous
 * KV API makes each decision atomic (no await between read and write). An alarm drops the row
 * once the key is idle (TAT passed) so per-IP objects do not accumulate storage.
 * @example
 * const r = await env.RATE_LIMITER.getByName("oauth:ab12...").consume({ limit: 20, windowSeconds: 60 });
 */
export class RateLimiter extends DurableObject<Env> {
  private state: StoredGcraState | undefined;
  private pausedUntil: number;
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.state = ctx.storage.kv.get<StoredGcraState>(GCRA_STATE_KEY);
    this.pausedUntil = ctx.storage.kv.get<{ until: number }>(PAUSE_STATE_KEY)?.until ?? 0;
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  /**
   * Spends `cost` units if the policy allows it and reports the key's standing. While the key is
   * paused (`pause()`) every request is refused until the pause ends, spending nothing.
   * `limit: 0` only checks the pause (the family's own limit is off).
   */
  async consume(input: ConsumeInput): Promise<ConsumeResult> {
    const { granted: _granted, ...result } = await this.decide(input, () => input.cost ?? 1);
    return result;
  }

  /**
   * Grants up to `want` units at once (at least 1, or a refusal with `granted: 0`), for an
   * isolate that spends them locally (lease.ts). Everything granted counts against the policy
   * exactly as `consume` would, so S28 holds for grants.
   */
  async lease(input: ConsumeInput & { want: number }): Promise<LeaseResult> {
    return this.decide(input, (available) => Math.max(1, Math.min(input.want, available)));
  }

  private async decide(input: ConsumeInput, costFor: (available: number) => number): Promise<LeaseResult> {
    const burst = input.burst ?? Math.max(0, input.limit - 1);
    const policy = { limit: input.limit, windowSeconds: input.windowSeconds, burst };
    const nowMs = input.now ?? now();
    if (this.pausedUntil > nowMs) {
      const wait = Math.max(1, Math.ceil((this.pausedUntil - nowMs) / 1000));
      return {
        allowed: false,
        granted: 0,
        remaining: 0,
        resetSeconds: wait,
        retryAfterSeconds: wait,
        ...policy,
      };
    }
    if (input.limit === 0) {
      return {
        allowed: true,
        granted: costFor(1),
        remaining: 0,
        resetSeconds: 0,
        retryAfterSeconds: 0,
        ...policy,
      };
    }
    const nowMicros = Math.round(nowMs * 1000);
    // A cost-1 probe: its `remaining` + 1 units are available now (nothing when refused).
    const probe = gcra(this.state?.tat, policy, 1, nowMicros);
    const available = probe.allowed ? probe.remaining + 1 : 1;
    const cost = costFor(available);
    const decision = cost === 1 ? probe : gcra(this.state?.tat, policy, cost, nowMicros);

    if (decision.allowed) {
      this.state = { tat: decision.tat };
      this.ctx.storage.kv.put(GCRA_STATE_KEY, this.state);
      if (this.alarmAt === null) await this.scheduleCleanup(decision.tat - nowMicros);
    }
    return {
      allowed: decision.allowed,
      granted: decision.allowed ? cost : 0,
      remaining: decision.remaining,
      resetSeconds: decision.resetSeconds,
      retryAfterSeconds: decision.retryAfterSeconds,
      limit: policy.limit,
      windowSeconds: policy.windowSeconds,
      burst,
    };
  }

  /**
   * The key's standing without spending anything (the health report): requests of cost 1 that
   * would be accepted now, and the pause end (epoch ms) if one is in force.
   */
  standing(input: ConsumeInput): { remaining: number; pausedUntil: number | null } {
    const nowMs = input.now ?? now();
    const paused = this.pausedUntil > nowMs ? this.pausedUntil : null;
    if (paused !== null || input.limit === 0) return { remaining: 0, pausedUntil: paused };
    const burst = input.burst ?? Math.max(0, input.limit - 1);
    const policy = { limit: input.limit, windowSeconds: input.windowSeconds, burst };
    const probe = gcra(this.state?.tat, policy, 1, Math.round(nowMs * 1000));
    return { remaining: probe.allowed ? probe.remaining + 1 : 0, pausedUntil: null };
  }

  /**
   * Refuses every request until `untilMs` (relay clock), e.g. while Instagram asks the relay to
   * back off an account. Only ever extends an existing pause.
   */
  async pause(untilMs: number): Promise<void> {
    if (!(untilMs > this.pausedUntil)) return;
    this.pausedUntil = untilMs;
    this.ctx.storage.kv.put(PAUSE_STATE_KEY, { until: untilMs });
    if (this.alarmAt === null) await this.scheduleCleanup((untilMs - now()) * 1000);
  }

  /** Drops the rows once the key is idle; pushes itself later while traffic keeps it busy. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const nowMicros = Math.round(now() * 1000);
    const busyMicros = Math.max((this.state?.tat ?? 0) - nowMicros, this.pausedUntil * 1000 - nowMicros);
    if (busyMicros > 0) {
      await this.scheduleCleanup(busyMicros);
      return;
    }
    this.state = undefined;
    this.pausedUntil = 0;
    this.ctx.storage.kv.delete(GCRA_STATE_KEY);
    this.ctx.storage.kv.delete(PAUSE_STATE_KEY);
  }

  // Alarms run on the real clock; the TAT is on the relay clock (tests move it), so schedule by
  // the remaining duration and let alarm() re-check against the relay clock.
  private async scheduleCleanup(busyMicros: number): Promise<void> {
    const at = Date.now() + Math.max(1000, Math.ceil(busyMicros / 1000));
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
