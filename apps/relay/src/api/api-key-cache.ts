import { constantTimeEqual } from "../crypto/constant-time.ts";
import { IsolateCache } from "../storage/isolate-cache.ts";
import type { ApiKeyRecord } from "./api-key-store.ts";

/**
 * How long this isolate trusts an API key record it read from KV without reading it again: the
 * revocation delay in *other* isolates (a revocation through this isolate is seen at once,
 * `forgetApiKey`). KV itself may serve a record up to 60 s old in another location, so this adds
 * at most 10 s to a delay that exists anyway. README "App API read path"; api-key-cache.test.ts.
 */
export const API_KEY_CACHE_TTL_MS = 10_000;

/** Keys kept per isolate; the oldest go first (Map keeps insertion order). */
const MAX_ENTRIES = 256;

const entries = new IsolateCache<ApiKeyRecord>(API_KEY_CACHE_TTL_MS, MAX_ENTRIES);

/**
 * The live record of `keyId` read within the last `API_KEY_CACHE_TTL_MS` whose stored hash equals
 * `hash` (constant time), or null (then read KV). Only the stored hash is kept, never a key.
 */
export function cachedApiKey(keyId: string, hash: string, nowMs: number): ApiKeyRecord | null {
  const record = entries.get(keyId, nowMs);
  return record && constantTimeEqual(hash, record.hash) ? record : null;
}

/** Remembers a live key record that just authenticated a request. */
export function rememberApiKey(record: ApiKeyRecord, nowMs: number): void {
  entries.set(record.keyId, record, nowMs);
}

/** Drops a key from this isolate's cache (its revocation, made here). */
export function forgetApiKey(keyId: string): void {
  entries.delete(keyId);
}
