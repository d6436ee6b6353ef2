import type { RateLimitFamily } from "@instagram-connect/types";
import * as z from "zod/mini";
import { InvalidValue } from "./setting-values.ts";

/** A family's policy with every field resolved; `limit: 0` means the family is not limited. */
export interface ResolvedPolicy {
  limit: number;
  windowSeconds: number;
  burst: number;
}

/** Every family's resolved policy. */
export type RateLimitConfig = Readonly<Record<RateLimitFamily, ResolvedPolicy>>;

/**
 * Defaults used for any family the setting leaves out (see src/rate-limit/README.md).
 * GCRA semantics: `limit` per `windowSeconds` sustained, `burst + 1` at once after a quiet spell,
 * and never more than `limit + burst` in any window.
 */
export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  oauth: { limit: 20, windowSeconds: 60, burst: 10 },
  widget: { limit: 60, windowSeconds: 60, burst: 30 },
  api: { limit: 600, windowSeconds: 60, burst: 100 },
  upstream: { limit: 200, windowSeconds: 3600, burst: 50 },
  // Per caller IP on /v1/admin: an operator makes a handful of calls; guessing the secret must be slow.
  admin: { limit: 30, windowSeconds: 60, burst: 10 },
  // Attempt polling per IP: the widget polls every 1.5 s at most, only while a popup is open.
  attempt: { limit: 60, windowSeconds: 60, burst: 30 },
  // Meta's deauthorize / data-deletion callbacks per IP: signed, rare; the limit bounds the cost
  // of forged ones (each is an HMAC check and a body read).
  meta: { limit: 60, windowSeconds: 60, burst: 60 },
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
const policiesSchema = z.strictObject({
  oauth: z.optional(policySchema),
  widget: z.optional(policySchema),
  api: z.optional(policySchema),
  upstream: z.optional(policySchema),
  admin: z.optional(policySchema),
  attempt: z.optional(policySchema),
  meta: z.optional(policySchema),
});

type PolicyInput = z.infer<typeof policySchema>;

/**
 * Parses the per-family limits (a JSON string or an already-parsed object; absent or empty means
 * all defaults). A family given replaces that family's default; an omitted `burst` is
 * `limit - 1` (the whole window's quota may be spent at once). Throws `InvalidValue`.
 */
export function rateLimitPolicies(raw: unknown): RateLimitConfig {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    return DEFAULT_RATE_LIMITS;
  }
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidValue("not valid JSON");
    }
  }
  const parsed = policiesSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidValue(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.code}`).join("; "),
    );
  }
  const given = parsed.data;
  return {
    oauth: resolve(given.oauth, DEFAULT_RATE_LIMITS.oauth),
    widget: resolve(given.widget, DEFAULT_RATE_LIMITS.widget),
    api: resolve(given.api, DEFAULT_RATE_LIMITS.api),
    upstream: resolve(given.upstream, DEFAULT_RATE_LIMITS.upstream),
    admin: resolve(given.admin, DEFAULT_RATE_LIMITS.admin),
    attempt: resolve(given.attempt, DEFAULT_RATE_LIMITS.attempt),
    meta: resolve(given.meta, DEFAULT_RATE_LIMITS.meta),
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
