import type { InstagramProfile, MediaPage } from "@instagram-connect/types";
import type * as z from "zod/mini";
import type { CacheSettings, RelayConfig } from "../config/relay-config.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { UpstreamBudget } from "../instagram/upstream-budget.ts";
import { coordinatedStore, coordinatorFor, watchTokenRefusal } from "../lifecycle/connection-coordinator.ts";
import { fail, type Result, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import {
  type ConnectionRecord,
  isUsable,
  mediaPageSchema,
  profileSchema,
} from "../storage/connection-record.ts";
import { readMemo } from "../storage/credential-cache.ts";
import { readCacheKey } from "../storage/kv-keys.ts";
import { cachedRead, type Served } from "./read-cache.ts";

/** What a cached read of one connection needs. */
export interface ReadContext {
  env: Env;
  config: RelayConfig;
  /** The authenticated connection (its token stays sealed unless Instagram must be asked). */
  record: ConnectionRecord;
}

/** Which media page to read. */
export interface MediaPageRequest {
  limit: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  after?: string | undefined;
}

/**
 * The connection's live profile from Instagram's `/me`, cached per connection for
 * `PROFILE_CACHE_SECONDS` (and never past its avatar URL's expiry), within the account's
 * upstream budget. The token never leaves the relay.
 * @example
 * const profile = await readProfile({ env: c.env, config: c.get("config"), record });
 * if (profile.ok) profile.value.value.username;
 */
export function readProfile(ctx: ReadContext): Promise<Result<Served<InstagramProfile>>> {
  return readThrough(ctx, {
    kind: "profile",
    schema: profileSchema,
    freshSeconds: (settings) => settings.profileCacheSeconds,
    urls: (profile) => [profile.profilePictureUrl],
    call: (client, token) => client.fetchProfile(token),
  });
}

/**
 * One page of the connection's media from Instagram's `/me/media`, cached per connection and
 * page for `MEDIA_CACHE_SECONDS`, never past the earliest `oe` expiry of its media or thumbnail
 * URLs nor longer than a few hours, within the account's upstream budget.
 */
export function readMediaPage(
  ctx: ReadContext,
  request: MediaPageRequest,
): Promise<Result<Served<MediaPage>>> {
  return readThrough(ctx, {
    kind: "media",
    page: `${request.limit}:${request.after ?? "-"}`,
    schema: mediaPageSchema,
    freshSeconds: (settings) => settings.mediaCacheSeconds,
    urls: (page) => page.items.flatMap((item) => [item.mediaUrl, item.thumbnailUrl]),
    call: (client, token) => client.fetchMedia(token, request),
  });
}

/** The account's upstream budget (one RateLimiter object per Instagram user id). */
export function upstreamBudget(ctx: ReadContext): UpstreamBudget {
  return new UpstreamBudget(ctx.env, ctx.config, ctx.record.profile.userId);
}

interface ReadSpec<T> {
  kind: "profile" | "media";
  page?: string;
  schema: z.ZodMiniType<T>;
  freshSeconds: (settings: CacheSettings) => number;
  urls: (value: T) => Iterable<string | null | undefined>;
  call: (client: InstagramClient, token: string) => Promise<Result<T>>;
}

// A warm widget read gets the same record object from the credential cache each time: its
// generation is hashed once, not per request. Keyed by the object, so a new record (refresh,
// reconnect, a KV read) is hashed afresh and nothing outlives the record it was derived from.
const generations = new WeakMap<ConnectionRecord, Promise<string>>();

function tokenGeneration(record: ConnectionRecord): Promise<string> {
  let generation = generations.get(record);
  if (!generation) {
    generation = sha256Base64Url(record.accessToken).then((digest) => digest.slice(0, 16));
    generations.set(record, generation);
  }
  return generation;
}

/**
 * A dead or expired token is `reauth_required` without asking Instagram. The cache key carries a
 * generation derived from the sealed token, so a reconnect or refresh stops old entries matching.
 * The token is decrypted only on a miss.
 */
async function readThrough<T>(ctx: ReadContext, spec: ReadSpec<T>): Promise<Result<Served<T>>> {
  const { env, config, record } = ctx;
  if (!isUsable(record, now(), config.vault.keys))
    return fail({ code: "reauth_required", reason: "token_expired_or_flagged" });
  const settings = unwrap(config.cache);
  const budget = upstreamBudget(ctx);
  const generation = await tokenGeneration(record);
  return cachedRead({
    kv: env.CONNECTIONS,
    key: readCacheKey(record.connectionId, spec.kind, generation, spec.page),
    schema: spec.schema,
    freshSeconds: spec.freshSeconds(settings),
    urls: spec.urls,
    memo: readMemo(record.connectionId),
    acquire: () => budget.acquire(),
    retryAfterSeconds: () => budget.retryAfterSeconds(),
    fetch: async () => {
      // S27: before a token is used, confirm the record with its coordinator: the KV copy read
      // here may be up to 60 s old (disconnected, refreshed or re-encrypted elsewhere).
      const current = await coordinatorFor(env, record.connectionId).current(record.connectionId);
      if (!current) return fail({ code: "unauthorized", reason: "connection_gone" });
      if (!isUsable(current, now(), config.vault.keys))
        return fail({ code: "reauth_required", reason: "current_not_usable" });
      const token = await coordinatedStore(env, config).readAccessToken(current);
      if (!token.ok) return token;
      const onResponse = watchTokenRefusal(env, current, budget.observe);
      return spec.call(new InstagramClient(config, { onResponse }), token.value);
    },
  });
}
