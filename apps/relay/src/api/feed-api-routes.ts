import {
  API_ROUTES,
  FEED_LIMIT,
  FEED_MEDIA_TYPES,
  type FeedDeletedResponse,
  type FeedListResponse,
  type FeedResponse,
  ROUTES,
  routePath,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { newFeedId } from "../feeds/public-feed.ts";
import { refreshFeed } from "../feeds/refresh-feed.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { jsonBody, jsonBodyLimit, validated } from "../http/validate.ts";
import { logEvent } from "../log.ts";
import {
  createFeedSchema,
  DEFAULT_PAGE_LIMIT,
  feedParamsSchema,
  pageQuerySchema,
  updateFeedSchema,
} from "../request-schemas.ts";
import { FailureError } from "../result.ts";
import { now } from "../runtime.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import {
  type FeedRecord,
  getFeed,
  listFeeds,
  putFeed,
  removeFeed,
  toFeedView,
} from "../storage/feed-store.ts";
import { requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";

// Feed settings are a few hundred bytes; anything near this is not a feed.
const feedBodyLimit = jsonBodyLimit(16 * 1024, "feed_body");

/**
 * Feed management on the app API (mounted inside `apiRoutes`, so API key and `api` rate limit
 * apply first): every route needs `feeds:write`. Creating or changing a feed refreshes it at
 * once (best effort: a failure leaves the first visitor or the cron to try again).
 */
export const feedApiRoutes = new Hono<ApiEnv>()
  .use(API_ROUTES.feeds, requireOperation("feeds:write"))
  .use(API_ROUTES.feed, requireOperation("feeds:write"))
  .get(API_ROUTES.feeds, async (c) => {
    const query = validated(pageQuerySchema, c.req.query(), "query");
    const page = await listFeeds(c.env.CONNECTIONS, {
      limit: query.limit ?? DEFAULT_PAGE_LIMIT,
      cursor: query.cursor,
    });
    const body: FeedListResponse = { items: page.items.map(toFeedView), nextCursor: page.nextCursor };
    return c.json(body, 200, NO_STORE);
  })
  .post(API_ROUTES.feeds, feedBodyLimit, async (c) => {
    const input = validated(createFeedSchema, await jsonBody(c), "body");
    const connection = await new ConnectionStore(c.env.CONNECTIONS, c.get("config")).get(input.connectionId);
    if (!connection) throw new FailureError({ code: "connection_not_found", reason: "feed_create" });
    const at = new Date(now()).toISOString();
    const feed: FeedRecord = {
      v: 1,
      feedId: newFeedId(),
      connectionId: input.connectionId,
      allowedOrigins: input.allowedOrigins,
      limit: input.limit ?? FEED_LIMIT.default,
      mediaTypes: input.mediaTypes ?? [...FEED_MEDIA_TYPES],
      includeCaptions: input.includeCaptions ?? true,
      mediaMode: input.mediaMode ?? "copy",
      createdAt: at,
      updatedAt: at,
    };
    await putFeed(c.env.CONNECTIONS, feed);
    await refreshFeed(c.env, c.get("config"), feed);
    logEvent("info", "feed_created", { keyId: c.get("apiKey").keyId, feedId: feed.feedId });
    return c.json<FeedResponse>({ feed: toFeedView(feed) }, 201, NO_STORE);
  })
  .get(API_ROUTES.feed, async (c) => {
    const feed = await feedOf(c);
    return c.json<FeedResponse>({ feed: toFeedView(feed) }, 200, NO_STORE);
  })
  .patch(API_ROUTES.feed, feedBodyLimit, async (c) => {
    const feed = await feedOf(c);
    const input = validated(updateFeedSchema, await jsonBody(c), "body");
    const changed: FeedRecord = { ...feed, ...definedOnly(input), updatedAt: new Date(now()).toISOString() };
    await putFeed(c.env.CONNECTIONS, changed);
    await refreshFeed(c.env, c.get("config"), changed);
    await purgeEdgeCache(c, feed.feedId);
    return c.json<FeedResponse>({ feed: toFeedView(changed) }, 200, NO_STORE);
  })
  .delete(API_ROUTES.feed, async (c) => {
    const feed = await feedOf(c);
    await removeFeed(c.env, feed);
    await purgeEdgeCache(c, feed.feedId);
    logEvent("info", "feed_deleted", { keyId: c.get("apiKey").keyId, feedId: feed.feedId });
    return c.json<FeedDeletedResponse>({ deleted: true, feedId: feed.feedId }, 200, NO_STORE);
  });

async function feedOf(c: Context<ApiEnv>): Promise<FeedRecord> {
  const { feedId } = validated(feedParamsSchema, c.req.param(), "path");
  const feed = await getFeed(c.env.CONNECTIONS, feedId);
  if (!feed) throw new FailureError({ code: "feed_not_found", reason: "api_feed_lookup" });
  return feed;
}

// A PATCH field given as undefined must not erase the stored one.
function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// This location's cached answer goes at once; other locations' within FEED_CACHE_SECONDS.
async function purgeEdgeCache(c: Context<ApiEnv>, feedId: string): Promise<void> {
  await caches.default.delete(new Request(new URL(routePath(ROUTES.feed, { feedId }), c.req.url).toString()));
}
