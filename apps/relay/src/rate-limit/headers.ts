import type { RateLimitFamily } from "@instagram-connect/types";
import type { ResolvedPolicy } from "../config/rate-limit-policies.ts";

/**
 * `RateLimit-Policy` value per draft-ietf-httpapi-ratelimit-headers (-09 and later): a
 * structured-field list item whose value is the policy name as an sf-string, `q` the quota and
 * `w` the window in seconds. `q` is the sustained limit; the burst shows in `RateLimit`'s `r`.
 * @example
 * rateLimitPolicyHeader("oauth", { limit: 20, windowSeconds: 60, burst: 10 }) // "oauth";q=20;w=60
 */
export function rateLimitPolicyHeader(family: RateLimitFamily, policy: ResolvedPolicy): string {
  return `"${family}";q=${policy.limit};w=${policy.windowSeconds}`;
}

/**
 * `RateLimit` value: `r` requests left right now and `t` seconds until the key is back to a
 * full burst (both non-negative integers, as the draft requires).
 * @example
 * rateLimitHeader("oauth", 3, 42) // "oauth";r=3;t=42
 */
export function rateLimitHeader(family: RateLimitFamily, remaining: number, resetSeconds: number): string {
  return `"${family}";r=${Math.max(0, Math.floor(remaining))};t=${Math.max(0, Math.ceil(resetSeconds))}`;
}
