import { ROUTES } from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { urlExpiry } from "../cache/read-cache.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { errorJson } from "../http/errors.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import { FailureError, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { type FeedRecord, getFeed, getSnapshot } from "../storage/feed-store.ts";
import { feedMediaKey } from "../storage/kv-keys.ts";
import { fetchFeedImage } from "./feed-image.ts";
import {
  currentSnapshot,
  FEED_ID_PATTERN,
  feedCorsHeaders,
  MEDIA_ID_PATTERN,
  toPublicFeed,
} from "./public-feed.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";
// Images are loaded by <img> on other sites; they must never run as a document here.
const IMAGE_HEADERS = {
  "Cross-Origin-Resource-Policy": "cross-origin",
  "Content-Security-Policy": "default-src 'none'; sandbox",
};

/**
 * Public feeds (README "Public feeds"): `GET /v1/feeds/:feedId` is read by visitors' browsers on
 * the feed's allowed origins (CORS for exactly those, S16), limited per client IP (fails open:
 * a read), answered from the Workers Cache API for `FEED_CACHE_SECONDS`, with `ETag` / 304.
 * `GET .../media/:mediaId` serves the R2 copy with immutable caching (or proxies it).
 * Every unknown, malformed or deleted id answers 404 `feed_not_found`.
 */
export const feedRoutes = new Hono<AppEnv>()
  .use(ROUTES.feed, rateLimit<AppEnv>({ family: "feed", key: clientIpKey }))
  .options(ROUTES.feed, async (c) => {
    const feed = await feedOf(c);
    const headers = new Headers({ Vary: "Origin", ...feedCorsHeaders(feed, c.req.header("Origin")) });
    if (headers.has("Access-Control-Allow-Origin")) {
      headers.set("Access-Control-Allow-Methods", "GET, OPTIONS");
      headers.set("Access-Control-Allow-Headers", "If-None-Match");
      headers.set("Access-Control-Max-Age", "600");
    }
    return new Response(null, { status: 204, headers });
  })
  .get(ROUTES.feed, async (c) => {
    const feed = await feedOf(c);
    const config = c.get("config");
    const settings = unwrap(config.feeds);
    const cors = feedCorsHeaders(feed, c.req.header("Origin"));
    // One cache entry per feed for every origin: CORS is decided per request from the settings.
    const cacheKey = new Request(new URL(c.req.path, c.req.url).toString());
    const cached = settings.cacheSeconds > 0 ? await caches.default.match(cacheKey) : undefined;
    let body: string;
    let etag: string;
    if (cached) {
      body = await cached.text();
      etag = cached.headers.get("ETag") ?? "";
    } else {
      const snapshot = await currentSnapshot(c.env, config, feed, settings);
      if (!snapshot.ok) return errorJson(snapshot.failure, { Vary: "Origin", ...cors });
      body = JSON.stringify(toPublicFeed(feed, snapshot.value, new URL(c.req.url).origin));
      etag = `"${(await sha256Base64Url(body)).slice(0, 27)}"`;
      if (settings.cacheSeconds > 0) {
        const entry = new Response(body, {
          headers: { ETag: etag, "Cache-Control": `public, max-age=${settings.cacheSeconds}` },
        });
        await caches.default.put(cacheKey, entry);
      }
    }
    const headers = new Headers({
      ...cors,
      ETag: etag,
      Vary: "Origin",
      "X-Relay-Cache": cached ? "hit" : "miss",
      "Cache-Control":
        settings.cacheSeconds > 0
          ? `public, max-age=${settings.cacheSeconds}, stale-while-revalidate=${settings.cacheSeconds * 10}`
          : "no-cache",
    });
    if (ifNoneMatch(c.req.header("If-None-Match"), etag)) return new Response(null, { status: 304, headers });
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(body, { status: 200, headers });
  })
  .get(ROUTES.feedMedia, async (c) => {
    const { feedId, mediaId } = c.req.param();
    if (!FEED_ID_PATTERN.test(feedId) || !MEDIA_ID_PATTERN.test(mediaId)) throw notFound("malformed_id");
    // A copy exists only while its item is in a live feed, so no settings read is needed for it.
    const object = await c.env.MEDIA.get(feedMediaKey(feedId, mediaId));
    if (object) {
      const headers = new Headers({ ...IMAGE_HEADERS, ETag: object.httpEtag, "Cache-Control": IMMUTABLE });
      if (ifNoneMatch(c.req.header("If-None-Match"), object.httpEtag)) {
        await object.body.cancel();
        return new Response(null, { status: 304, headers });
      }
      headers.set("Content-Type", object.httpMetadata?.contentType ?? "application/octet-stream");
      return new Response(object.body, { headers });
    }
    return proxied(c, feedId, mediaId);
  });

/** `proxy` mode: stream Instagram's image through within the same bounds; nothing is stored. */
async function proxied(c: Context<AppEnv>, feedId: string, mediaId: string): Promise<Response> {
  const feed = await getFeed(c.env.CONNECTIONS, feedId);
  if (feed?.mediaMode !== "proxy") throw notFound("no_media_copy");
  const item = (await getSnapshot(c.env.CONNECTIONS, feedId))?.items.find((entry) => entry.id === mediaId);
  if (!item?.sourceUrl) throw notFound("media_not_in_feed");
  const config = c.get("config");
  const image = await fetchFeedImage(item.sourceUrl, {
    maxBytes: unwrap(config.feeds).maxMediaBytes,
    timeoutMs: config.oauth.upstreamTimeoutMs,
  });
  if (!image.ok) return errorJson(image.failure);
  // Browsers may keep it until the signed URL would have expired, an hour at most.
  const expiresIn = Math.floor(((urlExpiry(item.sourceUrl) ?? now() + 3_600_000) - now()) / 1000);
  return new Response(image.value.bytes, {
    headers: {
      ...IMAGE_HEADERS,
      "Content-Type": image.value.contentType,
      "Cache-Control": `public, max-age=${Math.max(0, Math.min(3600, expiresIn))}`,
    },
  });
}

async function feedOf(c: Context<AppEnv>): Promise<FeedRecord> {
  const feedId = c.req.param("feedId") ?? "";
  if (!FEED_ID_PATTERN.test(feedId)) throw notFound("malformed_feed_id");
  const feed = await getFeed(c.env.CONNECTIONS, feedId);
  if (!feed) throw notFound("unknown_feed");
  return feed;
}

function notFound(reason: string): FailureError {
  return new FailureError({ code: "feed_not_found", reason });
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header || !etag) return false;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}
