import * as z from "zod/mini";
import { MEDIA_MAX_AGE_SECONDS } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { KV_MIN_TTL_S } from "../storage/kv-keys.ts";

/**
 * Cached reads in the CONNECTIONS KV namespace (keys from `readCacheKey`, layout in STORAGE.md).
 * KV rather than the Cache API: the Cache API does nothing on *.workers.dev, and a KV entry is
 * seen from every location, so one account's many visitors share it. Expiry is decided from the
 * relay clock on every read; the KV TTL only collects garbage. Write failures (KV allows one
 * write per second per key) are logged and ignored: the value was already served.
 */

/** Where a served value came from (sent as `X-Relay-Cache` for operators). */
export type CacheSource = "hit" | "miss" | "stale";

/** A value and where it came from. */
export interface Served<T> {
  value: T;
  source: CacheSource;
}

/** One cacheable upstream read. */
export interface CachedReadSpec<T> {
  kv: KVNamespace;
  key: string;
  schema: z.ZodMiniType<T>;
  /** Seconds a fresh value is served without asking Instagram; 0 turns caching off. */
  freshSeconds: number;
  /** Signed URLs inside a value: it is never served past the first one's expiry. */
  urls: (value: T) => Iterable<string | null | undefined>;
  /** Spends the account's upstream budget; `rate_limited` with `retryAfter` when spent. */
  acquire: () => Promise<Result<void>>;
  /** `retryAfter` for an Instagram throttle that named none. */
  retryAfterSeconds: () => number;
  /** The upstream call (only made on a miss). */
  fetch: () => Promise<Result<T>>;
  /** This isolate's copy of fresh entries (storage/credential-cache.ts), checked before KV. */
  memo?: ReadMemo | undefined;
}

/** An isolate-local copy of fresh entries, by cache key; values were parsed with the key's schema. */
export interface ReadMemo {
  get(key: string, nowMs: number): unknown;
  set(key: string, value: unknown, freshUntil: number): void;
}

const entrySchema = z.object({
  v: z.literal(1),
  value: z.unknown(),
  fetchedAt: z.number(),
  /** Until then the entry is served without asking Instagram. */
  freshUntil: z.number(),
  /** Until then it may still be served while Instagram cannot be asked (backoff, outage). */
  usableUntil: z.number(),
});

/** Keeps a margin so a URL does not expire between our answer and the browser's image request. */
const URL_EXPIRY_MARGIN_MS = 60_000;

/**
 * Serves a read from cache while fresh; otherwise asks Instagram if the account's budget allows,
 * and caches the answer. When Instagram cannot be asked (backoff, own budget spent) or fails
 * transiently, a stale but still usable entry is served; without one the failure is returned,
 * `rate_limited` always with `retryAfter`.
 */
export async function cachedRead<T>(spec: CachedReadSpec<T>): Promise<Result<Served<T>>> {
  const caching = spec.freshSeconds > 0;
  const memoed = caching ? (spec.memo?.get(spec.key, now()) as T | undefined) : undefined;
  if (memoed !== undefined) return ok({ value: memoed, source: "hit" });
  const cached = caching ? await readEntry(spec.kv, spec.key, spec.schema, now()) : null;
  if (cached && cached.freshUntil > now()) {
    spec.memo?.set(spec.key, cached.value, cached.freshUntil);
    return ok({ value: cached.value, source: "hit" });
  }

  const allowed = await spec.acquire();
  if (!allowed.ok) return cached ? ok({ value: cached.value, source: "stale" }) : allowed;

  const answer = await spec.fetch();
  if (!answer.ok) {
    const { failure } = answer;
    const transient =
      failure.code === "rate_limited" ||
      failure.code === "upstream_error" ||
      failure.code === "upstream_timeout";
    if (cached && transient) return ok({ value: cached.value, source: "stale" });
    if (failure.code === "rate_limited" && failure.retryAfter === undefined) {
      return fail({ ...failure, retryAfter: spec.retryAfterSeconds() });
    }
    return answer;
  }
  if (caching) {
    const fetchedAt = now();
    const until = usableUntil(fetchedAt, spec.urls(answer.value));
    const freshUntil = Math.min(fetchedAt + spec.freshSeconds * 1000, until);
    await writeEntry(spec.kv, spec.key, { value: answer.value, fetchedAt, freshUntil, usableUntil: until });
    spec.memo?.set(spec.key, answer.value, freshUntil);
  }
  return ok({ value: answer.value, source: "miss" });
}

/**
 * The latest time a value fetched at `fetchedAt` may be served: a few hours at most, and never
 * past the first expiry among its signed URLs.
 */
export function usableUntil(fetchedAt: number, urls: Iterable<string | null | undefined>): number {
  const cap = fetchedAt + MEDIA_MAX_AGE_SECONDS * 1000;
  const expiry = earliestUrlExpiry(urls);
  return expiry === null ? cap : Math.min(cap, expiry - URL_EXPIRY_MARGIN_MS);
}

/**
 * Instagram's media and avatar URLs are signed CDN URLs that stop working at the time in their
 * `oe` parameter (hex epoch seconds). A cached answer must not outlive the first of them.
 * @example
 * earliestUrlExpiry(["https://scontent.cdninstagram.com/v/x.jpg?oe=6745A1B2"]) // 1732616626000
 */
export function earliestUrlExpiry(urls: Iterable<string | null | undefined>): number | null {
  let earliest: number | null = null;
  for (const url of urls) {
    const expiry = url ? urlExpiry(url) : null;
    if (expiry !== null && (earliest === null || expiry < earliest)) earliest = expiry;
  }
  return earliest;
}

/** The `oe` expiry of one URL in epoch ms, or null when it has none (or it is unreadable). */
export function urlExpiry(url: string): number | null {
  let oe: string | null;
  try {
    oe = new URL(url).searchParams.get("oe");
  } catch {
    return null;
  }
  if (!oe || !/^[0-9a-fA-F]{1,12}$/.test(oe)) return null;
  return Number.parseInt(oe, 16) * 1000;
}

type Entry<T> = Omit<z.infer<typeof entrySchema>, "v" | "value"> & { value: T };

async function readEntry<T>(
  kv: KVNamespace,
  key: string,
  valueSchema: z.ZodMiniType<T>,
  nowMs: number,
): Promise<Entry<T> | null> {
  const raw = await kv.get(key, "json");
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

async function writeEntry<T>(kv: KVNamespace, key: string, entry: Entry<T>): Promise<void> {
  const seconds = Math.ceil((entry.usableUntil - entry.fetchedAt) / 1000);
  if (seconds <= 0) return;
  try {
    await kv.put(key, JSON.stringify({ v: 1, ...entry }), { expirationTtl: Math.max(KV_MIN_TTL_S, seconds) });
  } catch (error) {
    logEvent("warn", "read_cache.write_failed", { error: error instanceof Error ? error.name : "unknown" });
  }
}
