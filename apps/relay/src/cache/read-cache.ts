import * as z from "zod/mini";
import { logEvent } from "../http/log.ts";
import { KV_MIN_TTL_S, readCachePrefix } from "../storage/kv-keys.ts";

/** One cached upstream read and the times (relay clock, epoch ms) that bound its use. */
export interface CacheEntry<T> {
  value: T;
  fetchedAt: number;
  /** Until then the entry is served without asking Instagram. */
  freshUntil: number;
  /** Until then it may still be served while Instagram cannot be asked (backoff, outage). */
  usableUntil: number;
}

const entrySchema = z.object({
  v: z.literal(1),
  value: z.unknown(),
  fetchedAt: z.number(),
  freshUntil: z.number(),
  usableUntil: z.number(),
});

/**
 * Cached reads in the CONNECTIONS KV namespace (keys from `readCacheKey`, layout in STORAGE.md).
 * KV rather than the Cache API: the Cache API does nothing on *.workers.dev, and a KV entry is
 * seen from every location, so one account's many visitors share it. Expiry is decided from the
 * relay clock on every read; the KV TTL only collects garbage. Write failures (KV allows one
 * write per second per key) are logged and ignored: the value was already served.
 */
export class ReadCache {
  constructor(private readonly kv: KVNamespace) {}

  /** The entry at `key` when present, readable and still usable at `nowMs`. */
  async get<T>(key: string, valueSchema: z.ZodMiniType<T>, nowMs: number): Promise<CacheEntry<T> | null> {
    const raw = await this.kv.get(key, "json");
    if (raw === null) return null;
    const entry = entrySchema.safeParse(raw);
    const value = entry.success ? valueSchema.safeParse(entry.data.value) : null;
    if (!entry.success || !value?.success) {
      logEvent("warn", "read_cache.invalid_entry", { kind: key.split(":")[2] ?? "unknown" });
      return null;
    }
    if (entry.data.usableUntil <= nowMs) return null;
    return { ...entry.data, value: value.data };
  }

  /** Stores `entry` unless it is already unusable at `nowMs`. */
  async put<T>(key: string, entry: CacheEntry<T>, nowMs: number): Promise<void> {
    const seconds = Math.ceil((entry.usableUntil - nowMs) / 1000);
    if (seconds <= 0) return;
    try {
      await this.kv.put(key, JSON.stringify({ v: 1, ...entry }), {
        expirationTtl: Math.max(KV_MIN_TTL_S, seconds),
      });
    } catch (error) {
      logEvent("warn", "read_cache.write_failed", { error: error instanceof Error ? error.name : "unknown" });
    }
  }

  /** Deletes every cached read under `prefix` (a connection's, on disconnect). */
  async purge(prefix: string): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.kv.list(cursor ? { prefix, cursor } : { prefix });
      await Promise.all(page.keys.map((key) => this.kv.delete(key.name)));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }
}

/** Deletes every cached read of one connection (on disconnect or data deletion). */
export function purgeConnectionReads(kv: KVNamespace, connectionId: string): Promise<void> {
  return new ReadCache(kv).purge(readCachePrefix(connectionId));
}
