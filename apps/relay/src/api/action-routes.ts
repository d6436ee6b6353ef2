import {
  API_ROUTES,
  type CommentActionResponse,
  type PublishJobResponse,
  type UploadResponse,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { checkFeature } from "../actions/account-access.ts";
import {
  deleteComment,
  listComments,
  replyToComment,
  setCommentHidden,
  setCommentsEnabled,
} from "../actions/comments.ts";
import { readInsights } from "../actions/insights.ts";
import { readPublishJob, startPublishJob } from "../actions/publish-jobs.ts";
import { resolveUploads, storeUpload, UPLOAD_TYPES } from "../actions/uploads.ts";
import type { ReadContext } from "../cache/connection-reads.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import {
  accountInsightsQuerySchema,
  commentParamsSchema,
  commentPatchSchema,
  commentQuerySchema,
  connectionParamsSchema,
  idempotencyKeySchema,
  jobParamsSchema,
  mediaInsightsQuerySchema,
  mediaParamsSchema,
  mediaPatchSchema,
  publishRequestSchema,
  replyBodySchema,
} from "../request-schemas.ts";
import { FailureError, type Result, unwrap } from "../result.ts";
import { requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";

/** Largest JSON body accepted by these routes (a carousel of 10 long URLs fits easily). */
const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_COMMENT_LIMIT = 25;

/**
 * Acting on the account through the app API (API.md "Publishing, comments, insights"); mounted
 * by `api-routes.ts` behind its API key and rate limit. Order per route: operation (403), input
 * (400), connection (404), feature and granted scope (403 `permission_missing`), then Instagram.
 */
export const actionRoutes = new Hono<ApiEnv>()
  .post(API_ROUTES.connectionPublish, requireOperation("media:publish"), async (c) => {
    const key = validated(idempotencyKeySchema, c.req.header("Idempotency-Key") ?? "", "idempotency_key");
    const body = publishRequestSchema.safeParse(await jsonBody(c));
    if (!body.success) {
      const issues = body.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}:${issue.code}`);
      throw new FailureError({ code: "media_invalid", reason: `publish:${issues.join(",")}` });
    }
    const ctx = await featureContext(c, "publishing");
    const request = unwrap(await resolveUploads(c.env.MEDIA, ctx.record.connectionId, body.data));
    const started = unwrap(await startPublishJob(c.env, ctx.record.connectionId, key, request));
    logEvent("info", "publish.requested", {
      keyId: c.get("apiKey").keyId,
      jobId: started.job.id,
      created: started.created,
    });
    return c.json<PublishJobResponse>({ job: started.job }, started.created ? 202 : 200, NO_STORE);
  })
  .post(API_ROUTES.connectionUploads, requireOperation("media:publish"), async (c) => {
    const contentType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const type = UPLOAD_TYPES[contentType];
    if (!type) throw new FailureError({ code: "media_invalid", reason: "upload:content_type" });
    // R2 needs the length up front; it also bounds the read (the runtime enforces it).
    const length = Number(c.req.header("Content-Length") ?? Number.NaN);
    if (!Number.isInteger(length) || length <= 0 || !c.req.raw.body) {
      throw new FailureError({ code: "invalid_request", reason: "upload:content_length" });
    }
    if (length > type.maxBytes) throw new FailureError({ code: "payload_too_large", reason: "upload:size" });
    const ctx = await featureContext(c, "publishing");
    const stored = await storeUpload(c.env.MEDIA, ctx.record.connectionId, contentType, c.req.raw.body);
    logEvent("info", "upload.stored", { keyId: c.get("apiKey").keyId, size: length });
    return c.json<UploadResponse>(stored, 201, NO_STORE);
  })
  .get(API_ROUTES.connectionPublishJob, requireOperation("media:publish"), async (c) => {
    const { connectionId, jobId } = validated(jobParamsSchema, c.req.param(), "path");
    await connectionRecord(c, connectionId);
    return c.json<PublishJobResponse>(
      { job: unwrap(await readPublishJob(c.env, connectionId, jobId)) },
      200,
      NO_STORE,
    );
  })
  .get(API_ROUTES.connectionMediaComments, requireOperation("comments:read"), async (c) => {
    const { mediaId } = validated(mediaParamsSchema, c.req.param(), "path");
    const query = validated(commentQuerySchema, c.req.query(), "query");
    const ctx = await featureContext(c, "comments");
    const page = await listComments(
      ctx,
      { media: mediaId },
      { limit: query.limit ?? DEFAULT_COMMENT_LIMIT, after: query.after },
    );
    return answer(c, page);
  })
  .get(API_ROUTES.connectionCommentReplies, requireOperation("comments:read"), async (c) => {
    const { commentId } = validated(commentParamsSchema, c.req.param(), "path");
    const query = validated(commentQuerySchema, c.req.query(), "query");
    const ctx = await featureContext(c, "comments");
    const page = await listComments(
      ctx,
      { comment: commentId },
      { limit: query.limit ?? DEFAULT_COMMENT_LIMIT, after: query.after },
    );
    return answer(c, page);
  })
  .post(API_ROUTES.connectionCommentReplies, requireOperation("comments:write"), async (c) => {
    const { commentId } = validated(commentParamsSchema, c.req.param(), "path");
    const { message } = validated(replyBodySchema, await jsonBody(c), "body");
    const ctx = await featureContext(c, "comments");
    return answer(c, await replyToComment(ctx, commentId, message), 201);
  })
  .patch(API_ROUTES.connectionComment, requireOperation("comments:write"), async (c) => {
    const { commentId } = validated(commentParamsSchema, c.req.param(), "path");
    const { hidden } = validated(commentPatchSchema, await jsonBody(c), "body");
    const ctx = await featureContext(c, "comments");
    return success(c, await setCommentHidden(ctx, commentId, hidden));
  })
  .delete(API_ROUTES.connectionComment, requireOperation("comments:write"), async (c) => {
    const { commentId } = validated(commentParamsSchema, c.req.param(), "path");
    const ctx = await featureContext(c, "comments");
    return success(c, await deleteComment(ctx, commentId));
  })
  .patch(API_ROUTES.connectionMediaItem, requireOperation("comments:write"), async (c) => {
    const { mediaId } = validated(mediaParamsSchema, c.req.param(), "path");
    const { commentsEnabled } = validated(mediaPatchSchema, await jsonBody(c), "body");
    const ctx = await featureContext(c, "comments");
    return success(c, await setCommentsEnabled(ctx, mediaId, commentsEnabled));
  })
  .get(API_ROUTES.connectionInsights, requireOperation("insights:read"), async (c) => {
    const query = validated(accountInsightsQuerySchema, c.req.query(), "query");
    const ctx = await featureContext(c, "insights");
    const params: Record<string, string> = {};
    if (query.period) params.period = query.period;
    if (query.metricType) params.metric_type = query.metricType;
    if (query.breakdown) params.breakdown = query.breakdown;
    if (query.timeframe) params.timeframe = query.timeframe;
    if (query.since !== undefined) params.since = String(query.since);
    if (query.until !== undefined) params.until = String(query.until);
    return answer(
      c,
      await readInsights(ctx, { target: { account: true }, metrics: query.metrics.split(","), params }),
    );
  })
  .get(API_ROUTES.connectionMediaInsights, requireOperation("insights:read"), async (c) => {
    const { mediaId } = validated(mediaParamsSchema, c.req.param(), "path");
    const query = validated(mediaInsightsQuerySchema, c.req.query(), "query");
    const ctx = await featureContext(c, "insights");
    const params: Record<string, string> = query.breakdown ? { breakdown: query.breakdown } : {};
    return answer(
      c,
      await readInsights(ctx, { target: { media: mediaId }, metrics: query.metrics.split(","), params }),
    );
  });

/** The path's connection (404 when absent). */
async function connectionRecord(c: Context<ApiEnv>, connectionId: string) {
  const record = await coordinatedStore(c.env, c.get("config")).get(connectionId);
  if (!record) throw new FailureError({ code: "connection_not_found", reason: "api_lookup" });
  return record;
}

/** The path's connection, checked for the feature: enabled, token usable, scope granted. */
async function featureContext(
  c: Context<ApiEnv>,
  feature: "publishing" | "comments" | "insights",
): Promise<ReadContext> {
  const { connectionId } = validated(
    connectionParamsSchema,
    { connectionId: c.req.param("connectionId") },
    "path",
  );
  const record = await connectionRecord(c, connectionId);
  unwrap(checkFeature(c.get("config"), record, feature));
  return { env: c.env, config: c.get("config"), record };
}

/** The JSON body (at most MAX_BODY_BYTES): 413 when larger, 400 when not JSON. */
async function jsonBody(c: Context<ApiEnv>): Promise<unknown> {
  const declared = Number(c.req.header("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new FailureError({ code: "payload_too_large", reason: "body_declared" });
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw new FailureError({ code: "payload_too_large", reason: "body" });
  try {
    return JSON.parse(text);
  } catch {
    throw new FailureError({ code: "invalid_request", reason: "body:not_json" });
  }
}

function answer<T>(c: Context<ApiEnv>, result: Result<T>, status: 200 | 201 = 200): Response {
  if (!result.ok) return errorJson(result.failure);
  return c.json(result.value, status, NO_STORE);
}

function success(c: Context<ApiEnv>, result: Result<void>): Response {
  if (!result.ok) return errorJson(result.failure);
  return c.json<CommentActionResponse>({ success: true }, 200, NO_STORE);
}
