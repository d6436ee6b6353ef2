import type { ErrorCode } from "./errors.ts";

/**
 * What apps do on a connected account through `/v1/api`: publishing jobs, comments and
 * insights (apps/relay/API.md). Instagram's rules for each are in the relay's docs.
 */

/** Kinds of post. `video` is published as a reel (Instagram refuses standalone feed videos since 2023). */
export const PUBLISH_TYPES = ["image", "video", "reel", "carousel", "story"] as const;

/** One kind of post. */
export type PublishType = (typeof PUBLISH_TYPES)[number];

/** Instagram's caption limits (content publishing reference). */
export const CAPTION_LIMITS = { maxLength: 2200, maxHashtags: 30 } as const;

/** Carousel size limits. */
export const CAROUSEL_LIMITS = { min: 2, max: 10 } as const;

/**
 * One piece of media: a public https `url` Instagram fetches itself, or the `uploadId` of bytes
 * uploaded to the relay (`POST .../uploads`), which the relay serves to Instagram. Exactly one.
 */
export interface PublishMedia {
  /** `image` (JPEG) or `video` (MP4/MOV). For `image`/`reel`/`video` posts the kind is implied. */
  kind?: "image" | "video";
  url?: string;
  uploadId?: string;
}

/** Response of `POST /v1/api/connections/:connectionId/uploads` (raw body, `Content-Type` image/jpeg, video/mp4 or video/quicktime). */
export interface UploadResponse {
  uploadId: string;
  kind: "image" | "video";
  /** After this the upload is no longer served; it is deleted as soon as its job ends. */
  expiresAt: string;
}

/** Body of `POST /v1/api/connections/:connectionId/publish` (send an `Idempotency-Key` header). */
export interface PublishRequest {
  type: PublishType;
  /** The media of an image, video, reel or story post. */
  media?: PublishMedia;
  /** The 2-10 items of a carousel. */
  items?: PublishMedia[];
  /** Up to 2,200 characters and 30 hashtags (not for stories). */
  caption?: string;
  /** Image alt text, up to 1,000 characters. */
  altText?: string;
  /** Reels: also show in the feed (default true). */
  shareToFeed?: boolean;
}

/** Where a publishing job is. `containerStatus` is Instagram's own status of the container. */
export type PublishJobStatus = "queued" | "in_progress" | "published" | "failed";

/** A publishing job (`GET .../publish/:jobId`, and in media.published / media.failed webhooks). */
export interface PublishJob {
  /** `job_` + 22 characters; the same for every request with the same Idempotency-Key. */
  id: string;
  connectionId: string;
  type: PublishType;
  status: PublishJobStatus;
  /** Instagram's container status: IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED (null before creation). */
  containerStatus: string | null;
  /** The published media's id and permalink (published only). */
  mediaId: string | null;
  permalink: string | null;
  /** Why the job failed (failed only). */
  error: { code: ErrorCode; message: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Response of `POST .../publish` (202 for a new job, 200 when the key was seen with the same body) and `GET .../publish/:jobId`. */
export interface PublishJobResponse {
  job: PublishJob;
}

/** One comment or reply. */
export interface InstagramComment {
  id: string;
  text: string;
  /** ISO 8601. */
  timestamp: string;
  username: string | null;
  likeCount: number | null;
  hidden: boolean | null;
  /** Set on replies: the top-level comment. */
  parentId: string | null;
}

/** A page of comments or replies; pass `nextCursor` back as `after`. */
export interface CommentPage {
  items: InstagramComment[];
  nextCursor: string | null;
}

/** Response of replying: the new comment's id. */
export interface CommentCreatedResponse {
  id: string;
}

/** Response of hide / unhide / delete / enable-or-disable comments. */
export interface CommentActionResponse {
  success: true;
}

/** One insights metric as Instagram reports it. */
export interface InsightMetric {
  name: string;
  period: string;
  title: string | null;
  /** `metric_type=total_value` (and media metrics with a breakdown). */
  totalValue: { value: number; breakdowns?: unknown[] } | null;
  /** `time_series` and media metrics. */
  values: { value: unknown; endTime: string | null }[];
}

/** Response of the insights routes. `cachedAt`: when the relay read Instagram. */
export interface InsightsResponse {
  metrics: InsightMetric[];
  cachedAt: string;
}

/** Instagram's `value` of a `comments` / `live_comments` change (Instagram's own field names). */
export interface InstagramCommentValue {
  id: string;
  text?: string;
  /** Only on replies. */
  parent_id?: string;
  from?: { id?: string; username?: string };
  media?: { id?: string; media_product_type?: string };
}

/** Owner fields of a connection (e.g. an end user id), passed through from its record. */
export type OwnerFields = { [key: string]: string | number | boolean | null };

/** What an `instagram.comment` webhook carries from Instagram's `comments` / `live_comments` change. */
export interface InstagramWebhookChange {
  field: string;
  /** Instagram's `entry.time` (seconds or milliseconds, as sent). */
  time: number | null;
  /** Instagram's `value` object (comment `id`, `text`, `from`, `media`, `parent_id`). */
  value: InstagramCommentValue;
}
