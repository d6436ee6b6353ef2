/**
 * The relay's own rate limiting: a GCRA Durable Object per limited key and a Hono middleware.
 * @example
 * app.get(ROUTES.oauthStart, rateLimit({ family: "oauth", key: clientIpKey }), startHandler);
 */
export { bearerCredentialKey, clientIpKey, limiterName } from "./keys.ts";
export {
  defaultFailMode,
  FAIL_CLOSED_RETRY_SECONDS,
  type FailMode,
  type LimiterNamespace,
  type RateLimitOptions,
  rateLimit,
} from "./middleware.ts";
export { type ConsumeInput, type ConsumeResult, RateLimiter } from "./rate-limiter.ts";
