import {
  type CommentActionResponse,
  type CommentCreatedResponse,
  type CommentPage,
  ERROR_CODES,
  type ErrorCode,
  type InsightsResponse,
  type InstagramWebhookChange,
  PUBLISH_TYPES,
  type PublishJob,
  type PublishJobResponse,
  type UploadResponse,
} from "@instagram-connect/types";
import * as z from "zod/mini";

/**
 * Response schemas of the publishing, comment and insights routes, mirroring
 * `@instagram-connect/types` (drift checks at the end), for the OpenAPI document.
 */

const isoTime = z.string().check(z.iso.datetime({ offset: true }));

export const publishJobSchema = z.object({
  id: z.string(),
  connectionId: z.string(),
  type: z.enum(PUBLISH_TYPES),
  status: z.enum(["queued", "in_progress", "published", "failed"]),
  containerStatus: z.nullable(z.string()),
  mediaId: z.nullable(z.string()),
  permalink: z.nullable(z.string()),
  error: z.nullable(
    z.object({ code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]), message: z.string() }),
  ),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const publishJobResponseSchema = z.object({ job: publishJobSchema });

export const uploadResponseSchema = z.object({
  uploadId: z.string(),
  kind: z.enum(["image", "video"]),
  expiresAt: isoTime,
});

export const commentSchema = z.object({
  id: z.string(),
  text: z.string(),
  timestamp: z.string(),
  username: z.nullable(z.string()),
  likeCount: z.nullable(z.number()),
  hidden: z.nullable(z.boolean()),
  parentId: z.nullable(z.string()),
});

export const commentPageSchema = z.object({
  items: z.array(commentSchema),
  nextCursor: z.nullable(z.string()),
});

export const commentCreatedSchema = z.object({ id: z.string() });

export const commentActionSchema = z.object({ success: z.literal(true) });

export const insightsResponseSchema = z.object({
  metrics: z.array(
    z.object({
      name: z.string(),
      period: z.string(),
      title: z.nullable(z.string()),
      totalValue: z.nullable(z.object({ value: z.number(), breakdowns: z.optional(z.array(z.unknown())) })),
      values: z.array(z.object({ value: z.unknown(), endTime: z.nullable(z.string()) })),
    }),
  ),
  cachedAt: isoTime,
});

export const instagramWebhookChangeSchema = z.object({
  field: z.string(),
  time: z.nullable(z.number()),
  value: z.object({
    id: z.string(),
    text: z.optional(z.string()),
    parent_id: z.optional(z.string()),
    from: z.optional(z.object({ id: z.optional(z.string()), username: z.optional(z.string()) })),
    media: z.optional(z.object({ id: z.optional(z.string()), media_product_type: z.optional(z.string()) })),
  }),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends z.ZodMiniType> = z.output<S>;
/** Compile-time drift checks: each line fails to type-check on a mismatch. */
export const ACTION_CONTRACT_CHECKS: readonly true[] = [
  true satisfies Same<Out<typeof publishJobSchema>, PublishJob>,
  true satisfies Same<Out<typeof publishJobResponseSchema>, PublishJobResponse>,
  true satisfies Same<Out<typeof uploadResponseSchema>, UploadResponse>,
  true satisfies Same<Out<typeof commentPageSchema>, CommentPage>,
  true satisfies Same<Out<typeof commentCreatedSchema>, CommentCreatedResponse>,
  true satisfies Same<Out<typeof commentActionSchema>, CommentActionResponse>,
  true satisfies Same<Out<typeof insightsResponseSchema>, InsightsResponse>,
  true satisfies Same<Out<typeof instagramWebhookChangeSchema>, InstagramWebhookChange>,
];
