/**
 * Public feeds: a site owner publishes a connection's recent posts (API key with `feeds:write`)
 * and any page on the feed's allowed origins reads them from `GET /v1/feeds/:feedId`.
 */

/** Media types a feed can show (Instagram's `media_type`). */
export const FEED_MEDIA_TYPES = ["IMAGE", "VIDEO", "CAROUSEL_ALBUM"] as const;

/** One Instagram media type. */
export type FeedMediaType = (typeof FEED_MEDIA_TYPES)[number];

/**
 * How a feed serves images. `copy` (default): the relay keeps a copy in R2 while the item is in
 * the feed and serves it forever-cacheable; `proxy`: no bytes are stored, the relay streams
 * Instagram's image through, refreshing its signed URL before it expires.
 */
export type FeedMediaMode = "copy" | "proxy";

/** A feed image's alt text from its caption (shared by `<InstagramFeed>` and `<instagram-feed>`):: the first line, at most ~120 characters, hashtags kept. */
export function altText(caption: string | null, fallback: string): string {
  const line =
    caption
      ?.split("\n")
      .find((part) => part.trim() !== "")
      ?.trim() ?? "";
  if (line === "") return fallback;
  return line.length > 120 ? `${line.slice(0, 119).trimEnd()}…` : line;
}

/** Bounds and default of a feed's `limit`. */
export const FEED_LIMIT = { min: 1, max: 50, default: 12 } as const;

/** Body of `POST /v1/api/feeds`. */
export interface CreateFeedRequest {
  connectionId: string;
  /** Exact origins (`https://example.com`) whose pages may read the feed (CORS). 1..20. */
  allowedOrigins: string[];
  /** Items shown, 1..50 (default 12). */
  limit?: number;
  /** Only these media types (default all). */
  mediaTypes?: FeedMediaType[];
  /** Whether captions are published (default true; alt text falls back to a generic one). */
  includeCaptions?: boolean;
  /** `copy` (default) or `proxy`. */
  mediaMode?: FeedMediaMode;
}

/** Body of `PATCH /v1/api/feeds/:feedId`: any field of the create body except the connection. */
export type UpdateFeedRequest = Partial<Omit<CreateFeedRequest, "connectionId">>;

/** A feed's settings as the owner sees them (`GET /v1/api/feeds[/:feedId]`). */
export interface FeedView {
  feedId: string;
  connectionId: string;
  allowedOrigins: string[];
  limit: number;
  mediaTypes: FeedMediaType[];
  includeCaptions: boolean;
  mediaMode: FeedMediaMode;
  createdAt: string;
  updatedAt: string;
}

/** Response of `POST /v1/api/feeds`, `GET` and `PATCH /v1/api/feeds/:feedId`. */
export interface FeedResponse {
  feed: FeedView;
}

/** Response of `GET /v1/api/feeds`. */
export interface FeedListResponse {
  items: FeedView[];
  nextCursor: string | null;
}

/** Response of `DELETE /v1/api/feeds/:feedId`. */
export interface FeedDeletedResponse {
  deleted: true;
  feedId: string;
}

/** One post of a public feed. */
export interface PublicFeedItem {
  /** Instagram's media id. */
  id: string;
  mediaType: FeedMediaType;
  /** Null when the post has none or the feed leaves captions out. */
  caption: string | null;
  permalink: string | null;
  timestamp: string;
  /** The image (a video's poster, a carousel's first image) on the relay: never expires. */
  imageUrl: string;
}

/**
 * Why a feed may be older than it should: `ok` (fresh), `reauth_required` (the account must
 * reconnect; the last good copy is served), `upstream_unavailable` (Instagram failed or
 * throttled the last refresh; the last good copy is served).
 */
export type PublicFeedStatus = "ok" | "reauth_required" | "upstream_unavailable";

/** Response of the public `GET /v1/feeds/:feedId`. */
export interface PublicFeed {
  feedId: string;
  username: string;
  items: PublicFeedItem[];
  /** ISO 8601 time of the last successful refresh. */
  refreshedAt: string;
  /** True when the last refresh failed and this is the last good copy. */
  stale: boolean;
  status: PublicFeedStatus;
}
