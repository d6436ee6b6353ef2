import type { RelayConfig } from "../config/relay-config.ts";

/**
 * Site origins and return URLs are compared as exact strings against the allowlists (S4): no
 * normalising, prefix, wildcard or registrable-domain logic, so `https://app.com.evil.com`,
 * `https://APP.com`, `https://app.com.` or `https://app.com:443` never match `https://app.com`.
 */
export function isAllowedOrigin(config: RelayConfig, origin: string): boolean {
  return config.oauth.allowedOrigins.includes(origin);
}

/** True when `returnTo` is exactly one of the configured return URLs (S4, S5). */
export function isAllowedReturnTo(config: RelayConfig, returnTo: string): boolean {
  return config.oauth.allowedReturnTo.includes(returnTo);
}
