import type { RateLimitFamily } from "@instagram-connect/types";
import * as z from "zod/mini";

/** A family's policy with every field resolved; `limit: 0` means the family is not limited. */
export interface ResolvedPolicy {
  limit: number;
  windowSeconds: number;
  burst: number;
}

/** Every family's resolved policy. */
export type RateLimitConfig = Readonly<Record<RateLimitFamily, ResolvedPolicy>>;

/** Parsed `RATE_LIMITS`, or the reason it was refused (safe to log: the var holds no secret). */
export type RateLimitConfigResult =
  | { ok: true; config: RateLimitConfig }
  | { ok: false; setting: "RATE_LIMITS"; reason: string };

/**
 * Defaults used for any family `RATE_LIMITS` leaves out (see README.md in this folder).
 * GCRA semantics: `limit` per `windowSeconds` sustained, `burst + 1` at once after a quiet spell,
 * and never more than `limit + burst` in any window.
 */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  oauth: { limit: 20, windowSeconds: 60, burst: 10 },
  widget: { limit: 60, windowSeconds: 60, burst: 30 },
  api: { limit: 600, windowSeconds: 60, burst: 100 },
  upstream: { limit: 200, windowSeconds: 3600, burst: 50 },
};

// Caps keep the limiter's microsecond arithmetic far inside Number.MAX_SAFE_INTEGER.
const MAX_COUNT = 1_000_000;
const MAX_WINDOW_SECONDS = 86_400;

const count = z.int().check(z.minimum(0), z.maximum(MAX_COUNT));
const policySchema = z.strictObject({
  limit: count,
  windowSeconds: z.int().check(z.minimum(1), z.maximum(MAX_WINDOW_SECONDS)),
  burst: z.optional(count),
});
const configSchema = z.strictObject({
  oauth: z.optional(policySchema),
  widget: z.optional(policySchema),
  api: z.optional(policySchema),
  upstream: z.optional(policySchema),
});

type PolicyInput = z.infer<typeof policySchema>;

let cached: { raw: unknown; result: RateLimitConfigResult } | undefined;

/**
 * Validates the `RATE_LIMITS` var (a JSON string or an already-parsed object; absent or empty
 * means all defaults). A family given replaces that family's default; an omitted `burst` is
 * `limit - 1` (the whole window's quota may be spent at once).
 * @example
 * parseRateLimits('{"oauth":{"limit":5,"windowSeconds":60}}') // oauth 5/min, others default
 */
export function parseRateLimits(raw: unknown): RateLimitConfigResult {
  if (cached && cached.raw === raw) return cached.result;
  const result = parseUncached(raw);
  cached = { raw, result };
  return result;
}

function parseUncached(raw: unknown): RateLimitConfigResult {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    return { ok: true, config: DEFAULT_RATE_LIMITS };
  }
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return refuse("not valid JSON");
    }
  }
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`)
      .join("; ");
    return refuse(reason);
  }
  const given = parsed.data;
  return {
    ok: true,
    config: {
      oauth: resolve(given.oauth, DEFAULT_RATE_LIMITS.oauth),
      widget: resolve(given.widget, DEFAULT_RATE_LIMITS.widget),
      api: resolve(given.api, DEFAULT_RATE_LIMITS.api),
      upstream: resolve(given.upstream, DEFAULT_RATE_LIMITS.upstream),
    },
  };
}

function resolve(given: PolicyInput | undefined, fallback: ResolvedPolicy): ResolvedPolicy {
  if (!given) return fallback;
  return {
    limit: given.limit,
    windowSeconds: given.windowSeconds,
    burst: given.burst ?? Math.max(0, given.limit - 1),
  };
}

function refuse(reason: string): RateLimitConfigResult {
  return { ok: false, setting: "RATE_LIMITS", reason };
}
