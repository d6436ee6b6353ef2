import { type PublicFeed, ROUTES, routePath } from "@instagram-connect/types";
import type { FeedSettings, RelayConfig } from "../config/relay-config.ts";
import { ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { type FeedRecord, type FeedSnapshot, getSnapshot } from "../storage/feed-store.ts";
import { isDue, refreshFeed } from "./refresh-feed.ts";

/** Feed ids: `feed_` + 128 random bits (base64url). */
export const FEED_ID_PATTERN = /^feed_[A-Za-z0-9_-]{22}$/;
/** Instagram media ids are digits; allow base64url characters, bounded. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A fresh feed id. */
export function newFeedId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `feed_${btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "")}`;
}

/**
 * The snapshot to serve: the stored one while fresh; when due (the cron fell behind, or the
 * feed is new) it is refreshed first. A failed refresh still answers the last good snapshot
 * (with its `status` saying why it is stale); only a feed that never had one fails.
 */
export async function currentSnapshot(
  env: Env,
  config: RelayConfig,
  feed: FeedRecord,
  settings: FeedSettings,
): Promise<Result<FeedSnapshot>> {
  const snapshot = await getSnapshot(env.CONNECTIONS, feed.feedId);
  if (snapshot && !isDue(snapshot, settings.refreshSeconds, now())) return ok(snapshot);
  return refreshFeed(env, config, feed);
}

/** The public JSON of a feed: images point at the relay, never at Instagram's expiring URLs. */
export function toPublicFeed(feed: FeedRecord, snapshot: FeedSnapshot, relayOrigin: string): PublicFeed {
  return {
    feedId: feed.feedId,
    username: snapshot.username,
    items: snapshot.items.map((item) => ({
      id: item.id,
      mediaType: item.mediaType,
      caption: feed.includeCaptions ? item.caption : null,
      permalink: item.permalink,
      timestamp: item.timestamp,
      imageUrl: `${relayOrigin}${routePath(ROUTES.feedMedia, { feedId: feed.feedId, mediaId: item.id })}`,
    })),
    refreshedAt: new Date(snapshot.refreshedAt).toISOString(),
    stale: snapshot.status !== "ok",
    status: snapshot.status,
  };
}

/** CORS headers for `origin` when the feed allows it; none otherwise (S16: exact match only). */
export function feedCorsHeaders(feed: FeedRecord, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !feed.allowedOrigins.includes(origin)) return {};
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "ETag" };
}
