import type { RateLimitFamily } from "@instagram-connect/types";
import { relayConfig } from "../config/relay-config.ts";
import { unwrap } from "../result.ts";

const encoder = new TextEncoder();

/** The parts of a Hono context a key reads (any route family's context fits). */
export interface RequestParts {
  env: Env;
  req: { header(name: string): string | undefined };
}

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

/**
 * The client IP from the one header `CLIENT_IP_HEADER` trusts (`CF-Connecting-IP` behind
 * Cloudflare, which overwrites whatever the client sent). With `none`, or without the header,
 * requests share one bucket: an untrusted header would let a client pick its own bucket.
 */
export function clientIpKey(c: RequestParts): string {
  const header = unwrap(relayConfig(c.env).network).clientIpHeader;
  return (header ? c.req.header(header)?.trim() : undefined) || "unknown-ip";
}

/**
 * The widget's connection credential from `Authorization: Bearer <credential>`. Requests without
 * one are keyed by IP instead, so anonymous floods cannot drain a real credential's bucket.
 */
export function bearerCredentialKey(c: RequestParts): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "");
  const credential = match?.[1];
  return credential ? `bearer:${credential}` : `anonymous:${clientIpKey(c)}`;
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}
