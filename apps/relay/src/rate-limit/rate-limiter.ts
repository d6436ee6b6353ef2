import { DurableObject } from "cloudflare:workers";
import { now } from "../clock.ts";
import { gcra } from "./gcra.ts";

/** Input of `RateLimiter.consume`. */
export interface ConsumeInput {
  /** Sustained requests per window (>= 1; a disabled family never reaches the object). */
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

/** What the object persists: the GCRA theoretical arrival time. */
export interface StoredGcraState {
  /** Theoretical arrival time in integer epoch microseconds; at or before now, the key is idle. */
  tat: number;
}

/** Storage key of the single row each limiter object keeps. */
export const GCRA_STATE_KEY = "gcra";

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
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.state = ctx.storage.kv.get<StoredGcraState>(GCRA_STATE_KEY);
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  /** Spends `cost` units if the policy allows it and reports the key's standing. */
  async consume(input: ConsumeInput): Promise<ConsumeResult> {
    const burst = input.burst ?? input.limit - 1;
    const policy = { limit: input.limit, windowSeconds: input.windowSeconds, burst };
    const nowMs = input.now ?? now();
    const nowMicros = Math.round(nowMs * 1000);
    const decision = gcra(this.state?.tat, policy, input.cost ?? 1, nowMicros);

    if (decision.allowed) {
      this.state = { tat: decision.tat };
      this.ctx.storage.kv.put(GCRA_STATE_KEY, this.state);
      if (this.alarmAt === null) await this.scheduleCleanup(decision.tat - nowMicros);
    }
    return {
      allowed: decision.allowed,
      remaining: decision.remaining,
      resetSeconds: decision.resetSeconds,
      retryAfterSeconds: decision.retryAfterSeconds,
      limit: policy.limit,
      windowSeconds: policy.windowSeconds,
      burst,
    };
  }

  /** Drops the row once the key is idle; pushes itself later while traffic keeps it busy. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const busyMicros = (this.state?.tat ?? 0) - Math.round(now() * 1000);
    if (busyMicros > 0) {
      await this.scheduleCleanup(busyMicros);
      return;
    }
    this.state = undefined;
    this.ctx.storage.kv.delete(GCRA_STATE_KEY);
  }

  // Alarms run on the real clock; the TAT is on the relay clock (tests move it), so schedule by
  // the remaining duration and let alarm() re-check against the relay clock.
  private async scheduleCleanup(busyMicros: number): Promise<void> {
    const at = Date.now() + Math.max(1000, Math.ceil(busyMicros / 1000));
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
