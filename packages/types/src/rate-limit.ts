/**
 * Rate limiting as seen on the wire: the relay's limited route families and the IETF httpapi
 * RateLimit header names (draft-ietf-httpapi-ratelimit-headers, structured-field syntax:
 * `RateLimit-Policy: "oauth";q=20;w=60` and `RateLimit: "oauth";r=3;t=42`).
 */

/** What a relay limit is keyed on: client IP, widget credential, API key, Instagram user, admin caller IP. */
export type RateLimitFamily = "oauth" | "widget" | "api" | "upstream" | "admin" | "attempt" | "meta";

/** Every rate-limited route family, in a stable order. */
export const RATE_LIMIT_FAMILIES: readonly RateLimitFamily[] = [
  "oauth",
  "widget",
  "api",
  "upstream",
  "admin",
  "attempt",
  "meta",
];

/** One family's policy: `limit` requests per `windowSeconds`, plus `burst` at once after a quiet spell. */
export interface RateLimitPolicy {
  /** Sustained requests per window; 0 disables limiting for the family. */
  limit: number;
  windowSeconds: number;
  /** Extra requests accepted at once beyond the first after a quiet spell (defaults to `limit - 1`). */
  burst?: number;
}

/** Response header names the relay sets on rate-limited routes. */
export const RATE_LIMIT_HEADERS = {
  /** The family's quota: `"<family>";q=<limit>;w=<windowSeconds>`. */
  policy: "RateLimit-Policy",
  /** The caller's current standing: `"<family>";r=<remaining>;t=<secondsUntilFull>`. */
  state: "RateLimit",
  /** Seconds to wait before retrying (on 429 only). */
  retryAfter: "Retry-After",
} as const;
