import type { CacheSettings, RelayConfig } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { limiterName } from "../rate-limit/keys.ts";
import { type Failure, fail, ok, type Result, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { type UpstreamUsage, usageFor } from "./usage-headers.ts";

/** What the Instagram client reports after every upstream answer. */
export interface UpstreamReport {
  usage: UpstreamUsage;
  /** The classified failure, or null for a success. */
  failure: Failure | null;
}

/**
 * When the relay must stop calling Instagram for `accountId`, or null to go on. Backs off on a
 * rate-limit error (codes 4, 17, 32, 613, 80002, 341, 368), on usage at or over the threshold
 * (the account's business use case or the app's), and whenever Instagram names a regain time.
 * The pause lasts that regain time, or `backoffSeconds` when Instagram gives none.
 */
export function backoffUntil(
  report: UpstreamReport,
  accountId: string,
  settings: CacheSettings,
  nowMs: number,
): number | null {
  const account = usageFor(report.usage, accountId);
  const regainSeconds = account?.regainSeconds ?? 0;
  const high =
    (account !== null && account.percent >= settings.usageThreshold) ||
    (report.usage.appPercent ?? 0) >= settings.usageThreshold;
  const throttled = report.failure?.code === "rate_limited";
  if (!throttled && !high && regainSeconds === 0) return null;
  return nowMs + (regainSeconds > 0 ? regainSeconds : settings.backoffSeconds) * 1000;
}

/**
 * One Instagram account's upstream budget, kept in the `upstream` family's RateLimiter object
 * for that account (strongly consistent, one per Instagram user id): `acquire()` before each
 * call spends the relay's own budget and honours a pause; `observe` (handed to the Instagram
 * client) pauses the account when Instagram says so. Read paths fail open when the object is
 * unreachable: the cache and Instagram's own limits still protect the budget.
 * @example
 * const budget = new UpstreamBudget(env, config, record.profile.userId);
 * const allowed = await budget.acquire();
 * if (allowed.ok) await new InstagramClient(config, { onResponse: budget.observe }).fetchProfile(token);
 */
export class UpstreamBudget {
  #pausedUntil: number | null = null;

  private readonly settings: CacheSettings;

  constructor(
    private readonly env: Pick<Env, "RATE_LIMITER">,
    private readonly config: RelayConfig,
    readonly accountId: string,
  ) {
    this.settings = unwrap(config.cache);
  }

  /** Ok when an upstream call may go out now; `rate_limited` with `retryAfter` otherwise. */
  async acquire(): Promise<Result<void>> {
    const { limit, windowSeconds, burst } = unwrap(this.config.limits).upstream;
    try {
      const stub = await this.#stub();
      const result = await stub.consume({ limit, windowSeconds, burst });
      if (result.allowed) return ok(undefined);
      return fail({ code: "rate_limited", retryAfter: result.retryAfterSeconds, reason: "upstream_budget" });
    } catch (error) {
      logEvent("warn", "upstream_budget.unavailable", {
        accountId: this.accountId,
        error: error instanceof Error ? error.name : typeof error,
      });
      return ok(undefined);
    }
  }

  /**
   * What is left of the account's budget and any pause in force, spending nothing (the health
   * report). Throws when the object cannot be reached; the caller reports that account as unknown.
   */
  async standing(): Promise<{
    remaining: number;
    limit: number;
    windowSeconds: number;
    pausedUntil: number | null;
  }> {
    const { limit, windowSeconds, burst } = unwrap(this.config.limits).upstream;
    const standing = await (await this.#stub()).standing({ limit, windowSeconds, burst });
    return { ...standing, limit, windowSeconds };
  }

  /** Pauses the account when an answer asks for it (arrow: handed around as a callback). */
  readonly observe = async (report: UpstreamReport): Promise<void> => {
    const until = backoffUntil(report, this.accountId, this.settings, now());
    if (until === null) return;
    this.#pausedUntil = Math.max(until, this.#pausedUntil ?? 0);
    logEvent("warn", "upstream_backoff", {
      accountId: this.accountId,
      seconds: Math.ceil((until - now()) / 1000),
      cause: report.failure?.code ?? "usage",
    });
    try {
      await (await this.#stub()).pause(until);
    } catch (error) {
      logEvent("error", "upstream_budget.pause_failed", {
        accountId: this.accountId,
        error: error instanceof Error ? error.name : typeof error,
      });
    }
  };

  /** Seconds until a retry may succeed: the pause this budget just set, else the default backoff. */
  retryAfterSeconds(): number {
    if (this.#pausedUntil === null) return this.settings.backoffSeconds;
    return Math.max(1, Math.ceil((this.#pausedUntil - now()) / 1000));
  }

  async #stub() {
    return this.env.RATE_LIMITER.getByName(await limiterName("upstream", this.accountId));
  }
}
