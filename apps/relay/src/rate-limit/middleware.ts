import type { RateLimitFamily } from "@instagram-connect/types";
import { RATE_LIMIT_HEADERS } from "@instagram-connect/types";
import type { Context, Env as HonoEnv, MiddlewareHandler } from "hono";
import type { ResolvedPolicy } from "../config/rate-limit-policies.ts";
import { relayConfig } from "../config/relay-config.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../log.ts";
import { rateLimitHeader, rateLimitPolicyHeader } from "./headers.ts";
import { limiterName } from "./keys.ts";
import { isolateLeases, type LeasingStub } from "./lease.ts";
import type { ConsumeInput, ConsumeResult } from "./rate-limiter.ts";

/** What to do when the limiter itself fails: let the request through, or refuse it. */
export type FailMode = "open" | "closed";

/** The slice of a Durable Object namespace the middleware uses (lets tests wrap the real one). */
export interface LimiterNamespace {
  getByName(name: string): {
    consume(input: ConsumeInput): Promise<ConsumeResult>;
    lease?: LeasingStub["lease"];
  };
}

/** The Hono env the middleware needs: the relay's bindings. */
export type RateLimitEnv = HonoEnv & { Bindings: Env };

/** Options of `rateLimit`. */
export interface RateLimitOptions<E extends RateLimitEnv> {
  family: RateLimitFamily;
  /** The raw limited key (IP, credential, ...); hashed before it names an object. */
  key: (c: Context<E>) => string | Promise<string>;
  /** Overrides the family's default failure mode (see `defaultFailMode`). */
  failMode?: FailMode | ((c: Context<E>) => FailMode);
  /** Units one request spends (default 1). */
  cost?: number;
  /** The limiter namespace; defaults to `c.env.RATE_LIMITER`. */
  limiter?: (c: Context<E>) => LimiterNamespace;
  /** Clock in epoch ms handed to the limiter; production leaves it to the object. */
  now?: () => number;
  /**
   * Spend units leased to this isolate instead of one object round trip per request (lease.ts):
   * for hot read paths; the bounded overshoot is documented there and in the README.
   */
  lease?: boolean | ((c: Context<E>) => boolean);
}

/** Seconds a fail-closed refusal asks the caller to wait: short, the outage may be brief. */
export const FAIL_CLOSED_RETRY_SECONDS = 5;

/**
 * S29: auth surfaces fail closed (`oauth`, `attempt`; non-GET `api` and `upstream` work, which includes
 * API-key checks made on writes), data reads fail open (`widget`, signed `meta` callbacks; GET/HEAD on `api`, `upstream`).
 */
export function defaultFailMode(family: RateLimitFamily, method: string): FailMode {
  // A poll can release a credential: closed. Meta's callbacks are authenticated by their
  // signature, and a dropped data-deletion request is worse than an unlimited one: open.
  if (family === "oauth" || family === "attempt") return "closed";
  if (family === "widget" || family === "meta") return "open";
  return method === "GET" || method === "HEAD" ? "open" : "closed";
}

/**
 * Hono middleware limiting requests per key with the family's policy from `RATE_LIMITS`.
 * Sets `RateLimit-Policy` and `RateLimit` on every answer; over the limit it answers 429
 * `rate_limited` with `Retry-After`.
 * @example
 * app.get(ROUTES.oauthStart, rateLimit({ family: "oauth", key: clientIpKey }), handler);
 */
export function rateLimit<E extends RateLimitEnv = RateLimitEnv>(
  options: RateLimitOptions<E>,
): MiddlewareHandler<E> {
  const { family } = options;
  return async (c, next) => {
    // CORS preflights are the browser's, not the caller's, traffic: they spend nothing.
    if (c.req.method === "OPTIONS") return next();
    const limits = relayConfig(c.env).limits;
    if (!limits.ok) {
      const { failure } = limits;
      const setting = failure.code === "config_error" ? failure.setting : undefined;
      logEvent("error", "rate_limit.config_error", { setting, reason: failure.reason });
      return errorJson(failure);
    }
    const policy = limits.value[family];
    if (policy.limit === 0) return next();

    let result: ConsumeResult;
    try {
      result = await consume(c, options, policy);
    } catch (error) {
      const mode = resolveFailMode(c, options);
      // Never the key, its hash or the error message: a key function may have thrown with either.
      logEvent("warn", "rate_limit.limiter_failed", {
        family,
        failMode: mode,
        method: c.req.method,
        route: c.req.routePath,
        error: error instanceof Error ? error.name : typeof error,
      });
      if (mode === "closed") return refuse(family, policy, FAIL_CLOSED_RETRY_SECONDS);
      await next();
      c.header(RATE_LIMIT_HEADERS.policy, rateLimitPolicyHeader(family, policy));
      return;
    }

    if (!result.allowed) {
      return refuse(family, policy, result.retryAfterSeconds, result);
    }
    await next();
    c.header(RATE_LIMIT_HEADERS.policy, rateLimitPolicyHeader(family, policy));
    c.header(RATE_LIMIT_HEADERS.state, rateLimitHeader(family, result.remaining, result.resetSeconds));
  };
}

async function consume<E extends RateLimitEnv>(
  c: Context<E>,
  options: RateLimitOptions<E>,
  policy: ResolvedPolicy,
): Promise<ConsumeResult> {
  const name = await limiterName(options.family, await options.key(c));
  const namespace: LimiterNamespace = options.limiter ? options.limiter(c) : c.env.RATE_LIMITER;
  const input: ConsumeInput = {
    limit: policy.limit,
    windowSeconds: policy.windowSeconds,
    burst: policy.burst,
  };
  if (options.cost !== undefined) input.cost = options.cost;
  if (options.now) input.now = options.now();
  const leasing = typeof options.lease === "function" ? options.lease(c) : options.lease === true;
  if (leasing && options.cost === undefined) {
    const stub = namespace.getByName(name);
    // Test wrappers of the namespace may offer `consume` only; real stubs offer `lease` too.
    if (typeof stub.lease === "function") {
      const leasing: LeasingStub = { lease: (leaseInput) => stub.lease?.(leaseInput) ?? Promise.reject() };
      return isolateLeases.consume(
        name,
        () => leasing,
        input,
        (work) => deferWork(c, work),
      );
    }
  }
  return namespace.getByName(name).consume(input);
}

// Background lease refills outlive the response: hand them to the runtime when it offers that.
function deferWork<E extends RateLimitEnv>(c: Context<E>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (direct app.request in tests): the promise still runs.
  }
}

function resolveFailMode<E extends RateLimitEnv>(c: Context<E>, options: RateLimitOptions<E>): FailMode {
  const { failMode } = options;
  if (typeof failMode === "function") return failMode(c);
  return failMode ?? defaultFailMode(options.family, c.req.method);
}

function refuse(
  family: RateLimitFamily,
  policy: ResolvedPolicy,
  retryAfter: number,
  result?: ConsumeResult,
): Response {
  const headers: Record<string, string> = {
    [RATE_LIMIT_HEADERS.retryAfter]: String(retryAfter),
    [RATE_LIMIT_HEADERS.policy]: rateLimitPolicyHeader(family, policy),
  };
  if (result)
    headers[RATE_LIMIT_HEADERS.state] = rateLimitHeader(family, result.remaining, result.resetSeconds);
  return errorJson({ code: "rate_limited", retryAfter }, headers);
}
