import { FEED_MEDIA_TYPES, type FeedView } from "@instagram-connect/types";
import * as z from "zod/mini";
import { logEvent } from "../log.ts";
import {
  feedKey,
  feedMediaPrefix,
  feedOfConnectionKey,
  feedSnapshotKey,
  feedsOfConnectionPrefix,
  KV_PREFIXES,
} from "./kv-keys.ts";

/**
 * Public feeds in storage: settings (`feed:`), last good items (`feedsnap:`), the per-connection
 * index (`feedconn:`) in the CONNECTIONS KV namespace, and image copies under `feeds/<feedId>/`
 * in the MEDIA R2 bucket. Layout in STORAGE.md. Removal lives here, below the lifecycle, so a
 * connection's removal deletes its feeds with one call.
 */

/** Schema of `feed:<feedId>`. */
export const feedRecordSchema = z.object({
  v: z.literal(1),
  feedId: z.string(),
  connectionId: z.string(),
  allowedOrigins: z.array(z.string()),
  limit: z.number(),
  mediaTypes: z.array(z.enum(FEED_MEDIA_TYPES)),
  includeCaptions: z.boolean(),
  mediaMode: z.enum(["copy", "proxy"]),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One feed's settings. */
export type FeedRecord = z.infer<typeof feedRecordSchema>;

const snapshotItemSchema = z.object({
  id: z.string(),
  mediaType: z.enum(FEED_MEDIA_TYPES),
  caption: z.nullable(z.string()),
  permalink: z.nullable(z.string()),
  timestamp: z.string(),
  /** `copy`: true once the image is in R2. */
  stored: z.boolean(),
  /** `proxy` only: Instagram's signed image URL (refreshed before its `oe`). */
  sourceUrl: z.nullable(z.string()),
});

/** Schema of `feedsnap:<feedId>`: what the feed last showed and how the last refresh went. */
export const feedSnapshotSchema = z.object({
  v: z.literal(1),
  username: z.string(),
  items: z.array(snapshotItemSchema),
  /** Epoch ms of the last successful refresh. */
  refreshedAt: z.number(),
  /** Epoch ms of the last refresh attempt (successful or not). */
  attemptedAt: z.number(),
  status: z.enum(["ok", "reauth_required", "upstream_unavailable"]),
});

/** A feed's last good items. */
export type FeedSnapshot = z.infer<typeof feedSnapshotSchema>;
/** One item of a snapshot. */
export type SnapshotItem = FeedSnapshot["items"][number];

/** The feed's settings, or null when there is no such feed (or its record is unreadable). */
export async function getFeed(kv: KVNamespace, feedId: string): Promise<FeedRecord | null> {
  return parsed(kv, feedKey(feedId), feedRecordSchema);
}

/** Writes a feed's settings and its connection index entry. */
export async function putFeed(kv: KVNamespace, record: FeedRecord): Promise<void> {
  await kv.put(feedKey(record.feedId), JSON.stringify(record));
  await kv.put(feedOfConnectionKey(record.connectionId, record.feedId), "1");
}

/** The feed's last good items, or null before the first successful refresh. */
export function getSnapshot(kv: KVNamespace, feedId: string): Promise<FeedSnapshot | null> {
  return parsed(kv, feedSnapshotKey(feedId), feedSnapshotSchema);
}

/** Writes the feed's items. */
export async function putSnapshot(kv: KVNamespace, feedId: string, snapshot: FeedSnapshot): Promise<void> {
  await kv.put(feedSnapshotKey(feedId), JSON.stringify(snapshot));
}

/** One page of feeds (KV key order); `cursor` from the previous page. */
export async function listFeeds(
  kv: KVNamespace,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: FeedRecord[]; nextCursor: string | null }> {
  const listed = await kv.list({ prefix: KV_PREFIXES.feed, limit: page.limit, cursor: page.cursor });
  const records = await Promise.all(listed.keys.map((key) => parsed(kv, key.name, feedRecordSchema)));
  return {
    items: records.filter((record): record is FeedRecord => record !== null),
    nextCursor: listed.list_complete ? null : listed.cursor,
  };
}

/** The owner's view of a feed. */
export function toFeedView(record: FeedRecord): FeedView {
  const { v: _v, ...view } = record;
  return view;
}

/**
 * Deletes one feed entirely: every image copy in R2 first (so nothing outlives the record that
 * names it), then the snapshot, the settings and the index entry. Idempotent.
 */
export async function removeFeed(env: Pick<Env, "CONNECTIONS" | "MEDIA">, record: FeedRecord): Promise<void> {
  await deleteFeedObjects(env.MEDIA, record.feedId, () => true);
  await env.CONNECTIONS.delete(feedSnapshotKey(record.feedId));
  await env.CONNECTIONS.delete(feedKey(record.feedId));
  await env.CONNECTIONS.delete(feedOfConnectionKey(record.connectionId, record.feedId));
}

/**
 * Deletes every feed of a connection and their R2 objects: called by the connection's removal
 * (disconnect, deauthorize, data deletion), so deletion stays total. Returns how many feeds.
 */
export async function removeFeedsOfConnection(
  env: Pick<Env, "CONNECTIONS" | "MEDIA">,
  connectionId: string,
): Promise<number> {
  const prefix = feedsOfConnectionPrefix(connectionId);
  let removed = 0;
  let cursor: string | undefined;
  do {
    const page = await env.CONNECTIONS.list(cursor ? { prefix, cursor } : { prefix });
    for (const key of page.keys) {
      const feedId = key.name.slice(prefix.length);
      const record = await getFeed(env.CONNECTIONS, feedId);
      await removeFeed(env, record ?? orphan(feedId, connectionId));
      removed++;
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  if (removed > 0) logEvent("info", "feeds_removed_with_connection", { connectionId, feeds: removed });
  return removed;
}

/**
 * Deletes the feed's R2 objects whose media id `drop` selects (listing the bucket rather than
 * trusting the snapshot, so an object left by an interrupted refresh is collected too).
 */
export async function deleteFeedObjects(
  bucket: R2Bucket,
  feedId: string,
  drop: (mediaId: string) => boolean,
): Promise<number> {
  const prefix = feedMediaPrefix(feedId);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor });
    const keys = page.objects.map((object) => object.key).filter((key) => drop(key.slice(prefix.length)));
    if (keys.length > 0) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

// An index entry whose record is gone (a removal interrupted halfway): clean up what is left.
function orphan(feedId: string, connectionId: string): FeedRecord {
  return {
    v: 1,
    feedId,
    connectionId,
    allowedOrigins: [],
    limit: 0,
    mediaTypes: [],
    includeCaptions: false,
    mediaMode: "copy",
    createdAt: "",
    updatedAt: "",
  };
}

async function parsed<T>(kv: KVNamespace, key: string, schema: z.ZodMiniType<T>): Promise<T | null> {
  const raw = await kv.get(key, "json");
  if (raw === null) return null;
  const result = schema.safeParse(raw);
  if (!result.success) {
    logEvent("warn", "feed_store.invalid_record", { prefix: key.split(":")[0] ?? "unknown" });
    return null;
  }
  return result.data;
}
