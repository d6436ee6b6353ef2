/**
 * The API key format, shared by the relay and `scripts/api-key.mjs` (which imports this file
 * directly with Node's type stripping), so it imports nothing but the pure KV key builders.
 *
 * A key is `<keyId>.<secret>`: `key_` + 128 random bits, then 256 random bits, all base64url.
 * Only SHA-256 of the whole key is stored (a 256-bit random secret needs no slow hash or salt).
 */

import { apiKeyKey } from "../storage/kv-keys.ts";

const KEY_PATTERN = /^(key_[A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** The KV key of an API key record (holds only the public key id, never the secret, S22). */
export const apiKeyKvKey: (keyId: string) => string = apiKeyKey;

/** A fresh API key and its id. */
export function generateApiKey(): { keyId: string; apiKey: string } {
  const keyId = `key_${randomBase64Url(16)}`;
  return { keyId, apiKey: `${keyId}.${randomBase64Url(32)}` };
}

/** The key id inside a well-formed API key, or null. */
export function apiKeyId(apiKey: string): string | null {
  return KEY_PATTERN.exec(apiKey)?.[1] ?? null;
}

/** `sha256:<hex SHA-256 of the whole key>`: the only form of the key that is stored. */
export async function hashApiKey(apiKey: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(apiKey));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return `sha256:${hex}`;
}

function randomBase64Url(bytes: number): string {
  let binary = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(bytes))) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
