import type * as z from "zod/mini";
import { now } from "../clock.ts";
import type { UpstreamBudget } from "../instagram/upstream-budget.ts";
import { fail, ok, type Result } from "../result.ts";
import { type CacheEntry, ReadCache } from "./read-cache.ts";

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
  /** The latest time (epoch ms) a value fetched at `fetchedAt` may be served at all. */
  usableUntil: (value: T, fetchedAt: number) => number;
  budget: UpstreamBudget;
  /** The upstream call; must report its answers to `budget.observe`. */
  fetch: () => Promise<Result<T>>;
}

/**
 * Serves a read from cache while fresh; otherwise asks Instagram if the account's budget allows,
 * and caches the answer. When Instagram cannot be asked (backoff, own budget spent) or fails
 * transiently, a stale but still usable entry is served; without one the failure is returned,
 * `rate_limited` always with `retryAfter`.
 */
export async function cachedRead<T>(spec: CachedReadSpec<T>): Promise<Result<Served<T>>> {
  const cache = new ReadCache(spec.kv);
  const caching = spec.freshSeconds > 0;
  const cached = caching ? await cache.get(spec.key, spec.schema, now()) : null;
  if (cached && cached.freshUntil > now()) return ok({ value: cached.value, source: "hit" });

  const allowed = await spec.budget.acquire();
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
      return fail({ ...failure, retryAfter: spec.budget.retryAfterSeconds() });
    }
    return answer;
  }
  if (caching) {
    const fetchedAt = now();
    const usableUntil = spec.usableUntil(answer.value, fetchedAt);
    const entry: CacheEntry<T> = {
      value: answer.value,
      fetchedAt,
      freshUntil: Math.min(fetchedAt + spec.freshSeconds * 1000, usableUntil),
      usableUntil,
    };
    await cache.put(spec.key, entry, fetchedAt);
  }
  return ok({ value: answer.value, source: "miss" });
}
