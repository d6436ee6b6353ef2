import type { RateLimitFamily } from "@instagram-connect/types";
import type { Context } from "hono";

const encoder = new TextEncoder();

/**
 * The Durable Object name for a limited key: `<family>:<hex sha256(key)>`. Hashing means no
 * credential, API key or IP address ever becomes an object name (names surface in tooling).
 * @example
 * env.RATE_LIMITER.getByName(await limiterName("widget", credential));
 */
export async function limiterName(family: RateLimitFamily, key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(key));
  return `${family}:${toHex(new Uint8Array(digest))}`;
}

/** The client IP Cloudflare saw (`CF-Connecting-IP`); requests without one share one bucket. */
export function clientIpKey(c: Context): string {
  return c.req.header("CF-Connecting-IP")?.trim() || "unknown-ip";
}

/**
 * The widget's connection credential from `Authorization: Bearer <credential>`. Requests without
 * one are keyed by IP instead, so anonymous floods cannot drain a real credential's bucket.
 */
export function bearerCredentialKey(c: Context): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
  const credential = match?.[1];
  return credential ? `bearer:${credential}` : `anonymous:${clientIpKey(c)}`;
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
