import { sha256Base64Url } from "../crypto/base64url.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import type { ConnectionRecord } from "./connection-record.ts";
import { IsolateCache } from "./isolate-cache.ts";

/**
 * How long this isolate trusts a verified widget credential (and the record it unlocked) without
 * reading KV again. This is the revocation delay in *other* isolates: a disconnect, reconnect
 * (credential rotation) or refresh is seen here at once (`forgetCredential`) and everywhere else
 * within this bound. README "Widget read path" documents it; credential-cache.test.ts proves it.
 */
export const CREDENTIAL_CACHE_TTL_MS = 10_000;

/** Entries kept per isolate; the oldest go first (Map keeps insertion order). */
export const CREDENTIAL_CACHE_MAX_ENTRIES = 2048;

interface Entry {
  /** SHA-256 of the whole presented credential that verified against the stored HMAC. */
  digest: string;
  record: ConnectionRecord;
  until: number;
  /** Fresh read-cache entries of this connection, so a hit needs no KV read at all. */
  reads: Map<string, { value: unknown; freshUntil: number }>;
}

// Module state is per isolate: exactly the scope this cache is meant to have.
const entries = new Map<string, Entry>();

/** The digest a credential is cached under (SHA-256; the secret itself is never kept). */
export function credentialDigest(credential: string): Promise<string> {
  return sha256Base64Url(credential);
}

/**
 * The record a credential verified for within the last `CREDENTIAL_CACHE_TTL_MS`, or null (then
 * verify against KV as usual). A different credential for the same connection is a miss, never a
 * refusal from the cache: a reconnect elsewhere may have issued it.
 */
export function cachedCredential(
  connectionId: string,
  digest: string,
  nowMs: number,
): ConnectionRecord | null {
  const entry = entries.get(connectionId);
  if (!entry) return null;
  if (entry.until <= nowMs) {
    entries.delete(connectionId);
    return null;
  }
  return constantTimeEqual(entry.digest, digest) ? entry.record : null;
}

/** Remembers a credential that just verified against `record` (read from KV). */
export function rememberCredential(
  connectionId: string,
  digest: string,
  record: ConnectionRecord,
  nowMs: number,
): void {
  entries.delete(connectionId);
  entries.set(connectionId, { digest, record, until: nowMs + CREDENTIAL_CACHE_TTL_MS, reads: new Map() });
  if (entries.size > CREDENTIAL_CACHE_MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
}

/** Most read entries kept per connection (media pages vary by limit and cursor). */
const MAX_READS_PER_CONNECTION = 16;

/**
 * This isolate's copy of a connection's fresh read-cache entries, living no longer than its
 * credential entry (so the same invalidation and the same bound apply) nor past `freshUntil`.
 * Undefined when the connection has no live credential entry here.
 */
export function readMemo(connectionId: string): ReadMemo | undefined {
  const entry = entries.get(connectionId);
  if (!entry) return undefined;
  return {
    get(key, nowMs) {
      const read = entry.reads.get(key);
      if (!read || entry.until <= nowMs || read.freshUntil <= nowMs) return undefined;
      return read.value;
    },
    set(key, value, freshUntil) {
      entry.reads.delete(key);
      entry.reads.set(key, { value, freshUntil });
      if (entry.reads.size > MAX_READS_PER_CONNECTION) {
        const oldest = entry.reads.keys().next().value;
        if (oldest !== undefined) entry.reads.delete(oldest);
      }
    },
  };
}

/** The slice of a read memo the read cache uses (structural, so storage stays below cache). */
export interface ReadMemo {
  get(key: string, nowMs: number): unknown;
  set(key: string, value: unknown, freshUntil: number): void;
}

/**
 * Drops what this isolate cached for a connection. Call it wherever a connection's record,
 * credential or token changes or goes away (disconnect, reconnect, refresh, credential-hash or
 * token re-encryption): `ConnectionStore` writes and deletes already do.
 */
export function forgetCredential(connectionId: string): void {
  entries.delete(connectionId);
  records.delete(connectionId);
}

// The app API's copy of records it read from KV, under the same bound and invalidation as the
// widget's credential entries (forgetCredential drops both): a `GET /v1/api/connections/:id`
// within CREDENTIAL_CACHE_TTL_MS of the last read of that record reads no KV.
const records = new IsolateCache<ConnectionRecord>(CREDENTIAL_CACHE_TTL_MS, CREDENTIAL_CACHE_MAX_ENTRIES);

/** The record the app API read for `connectionId` within the last `CREDENTIAL_CACHE_TTL_MS`, or null. */
export function cachedRecord(connectionId: string, nowMs: number): ConnectionRecord | null {
  return records.get(connectionId, nowMs) ?? null;
}

/** Remembers a record the app API just read from KV. */
export function rememberRecord(record: ConnectionRecord, nowMs: number): void {
  records.set(record.connectionId, record, nowMs);
}
