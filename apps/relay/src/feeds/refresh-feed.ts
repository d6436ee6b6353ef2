import { readMediaPage } from "../cache/connection-reads.ts";
import { earliestUrlExpiry } from "../cache/read-cache.ts";
import type { RelayConfig } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { type Failure, fail, ok, type Result, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { isUsable } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import {
  deleteFeedObjects,
  type FeedRecord,
  type FeedSnapshot,
  getFeed,
  getSnapshot,
  putSnapshot,
  removeFeed,
  type SnapshotItem,
} from "../storage/feed-store.ts";
import { copyFeedImage, fetchFeedImage, imageSource } from "./feed-image.ts";

/** One media page of this size serves every feed of a connection (feeds share the read cache). */
const READ_LIMIT = 50;
/** A proxied feed is refreshed this long before its first image URL expires. */
const PROXY_EXPIRY_MARGIN_MS = 60 * 60 * 1000;

/**
 * Reads the feed's items from Instagram (through the cached, budget-aware media read), copies
 * each new image into R2 once (`copy` mode), writes the snapshot, then deletes the copies of
 * items that left the feed. A refresh that fails keeps the last good snapshot and records why
 * (`reauth_required`, `upstream_unavailable`); without one, the failure is returned.
 */
export async function refreshFeed(
  env: Env,
  config: RelayConfig,
  feed: FeedRecord,
): Promise<Result<FeedSnapshot>> {
  const previous = await getSnapshot(env.CONNECTIONS, feed.feedId);
  const record = await new ConnectionStore(env.CONNECTIONS, config).get(feed.connectionId);
  if (!record) return fail({ code: "feed_not_found", reason: "feed_connection_gone" });
  if (!isUsable(record, now())) {
    return keepLast(env, feed, previous, "reauth_required", { code: "reauth_required" });
  }
  const page = await readMediaPage({ env, config, record }, { limit: READ_LIMIT });
  if (!page.ok) {
    const status = page.failure.code === "reauth_required" ? "reauth_required" : "upstream_unavailable";
    return keepLast(env, feed, previous, status, page.failure);
  }
  // The read cache answered an older page because Instagram could not be asked: nothing new.
  if (page.value.source === "stale" && previous) {
    return keepLast(env, feed, previous, "upstream_unavailable", {
      code: "upstream_error",
      reason: "stale_read",
    });
  }

  const settings = unwrap(config.feeds);
  const before = new Map((previous?.items ?? []).map((item) => [item.id, item]));
  const wanted = page.value.value.items
    .filter((item) => feed.mediaTypes.includes(item.mediaType))
    .slice(0, feed.limit);
  const items = await Promise.all(
    wanted.map(async (item): Promise<SnapshotItem | null> => {
      const source = imageSource(item);
      if (!source) return null;
      const base = {
        id: item.id,
        mediaType: item.mediaType,
        caption: feed.includeCaptions ? item.caption : null,
        permalink: item.permalink,
        timestamp: item.timestamp,
      };
      if (feed.mediaMode === "proxy") return { ...base, stored: false, sourceUrl: source };
      // Copied when first seen; an image never changes under its media id.
      if (before.get(item.id)?.stored) return { ...base, stored: true, sourceUrl: null };
      const image = await fetchFeedImage(source, {
        maxBytes: settings.maxMediaBytes,
        timeoutMs: config.oauth.upstreamTimeoutMs,
      });
      // Oversized or non-image content is not stored; the item waits for the next refresh.
      if (!image.ok) return null;
      await copyFeedImage(env.MEDIA, feed.feedId, item.id, image.value);
      return { ...base, stored: true, sourceUrl: null };
    }),
  );
  const snapshot: FeedSnapshot = {
    v: 1,
    username: record.profile.username,
    items: items.filter((item): item is SnapshotItem => item !== null),
    refreshedAt: now(),
    attemptedAt: now(),
    status: "ok",
  };
  await putSnapshot(env.CONNECTIONS, feed.feedId, snapshot);
  const kept = new Set(snapshot.items.filter((item) => item.stored).map((item) => item.id));
  await deleteFeedObjects(env.MEDIA, feed.feedId, (mediaId) => !kept.has(mediaId));
  // Deleted (or disconnected) while this refresh ran: take back what it wrote.
  if (!(await getFeed(env.CONNECTIONS, feed.feedId))) {
    await removeFeed(env, feed);
    return fail({ code: "feed_not_found", reason: "feed_deleted_during_refresh" });
  }
  return ok(snapshot);
}

/** Whether a feed should be read from Instagram again now. */
export function isDue(snapshot: FeedSnapshot | null, refreshSeconds: number, nowMs: number): boolean {
  if (!snapshot) return true;
  if (snapshot.attemptedAt + refreshSeconds * 1000 <= nowMs) return true;
  return proxyExpiry(snapshot) - PROXY_EXPIRY_MARGIN_MS <= nowMs;
}

// The earliest `oe` among a proxied feed's image URLs (Infinity for a copied feed).
function proxyExpiry(snapshot: FeedSnapshot): number {
  return earliestUrlExpiry(snapshot.items.map((item) => item.sourceUrl)) ?? Number.POSITIVE_INFINITY;
}

async function keepLast(
  env: Env,
  feed: FeedRecord,
  previous: FeedSnapshot | null,
  status: FeedSnapshot["status"],
  failure: Failure,
): Promise<Result<FeedSnapshot>> {
  logEvent("warn", "feed_refresh_failed", { feedId: feed.feedId, code: failure.code, status });
  if (!previous) return fail(failure);
  const snapshot: FeedSnapshot = { ...previous, status, attemptedAt: now() };
  await putSnapshot(env.CONNECTIONS, feed.feedId, snapshot);
  return ok(snapshot);
}
