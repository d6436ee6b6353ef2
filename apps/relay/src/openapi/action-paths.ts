import { API_ROUTES, type ApiOperation, type ErrorCode, ROUTES } from "@instagram-connect/types";
import type * as z from "zod/mini";
import {
  accountInsightsQuerySchema,
  commentPatchSchema,
  commentQuerySchema,
  connectionParamsSchema,
  idempotencyKeySchema,
  instagramObjectIdSchema,
  jobParamsSchema,
  mediaInsightsQuerySchema,
  mediaPatchSchema,
  publishRequestSchema,
  replyBodySchema,
} from "../request-schemas.ts";
import { type ComponentName, jsonSchema, queryParameters } from "./openapi-registry.ts";

/** Helpers the main document shares with this file. */
export interface PathHelpers {
  json: (name: ComponentName, description: string) => Record<string, unknown>;
  errors: (...codes: ErrorCode[]) => Record<string, unknown>;
  api: (operation: ApiOperation, summary: string, extra: Record<string, unknown>) => Record<string, unknown>;
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");
const pathParam = (name: string, schema: z.ZodMiniType) => ({
  name,
  in: "path",
  required: true,
  schema: jsonSchema(schema),
});
const body = (schema: z.ZodMiniType) => ({
  required: true,
  content: { "application/json": { schema: jsonSchema(schema) } },
});

/** OpenAPI paths of publishing, comments, insights and Instagram's webhooks. */
export function actionPaths({
  json,
  errors,
  api,
}: PathHelpers): Record<string, Record<string, Record<string, unknown>>> {
  const connection = pathParam("connectionId", connectionParamsSchema.shape.connectionId);
  const media = pathParam("mediaId", instagramObjectIdSchema);
  const comment = pathParam("commentId", instagramObjectIdSchema);
  const job = pathParam("jobId", jobParamsSchema.shape.jobId);
  const common = [
    "unauthorized",
    "forbidden",
    "rate_limited",
    "invalid_request",
    "connection_not_found",
  ] as const;
  const upstream = ["reauth_required", "permission_missing", "upstream_error", "upstream_timeout"] as const;
  const onObject = [...common, ...upstream, "instagram_object_not_found"] as const;
  return {
    [toOpenApiPath(API_ROUTES.connectionPublish)]: {
      post: api("media:publish", "Start a publishing job (image, video, reel, carousel, story)", {
        parameters: [
          connection,
          { name: "Idempotency-Key", in: "header", required: true, schema: jsonSchema(idempotencyKeySchema) },
        ],
        requestBody: body(publishRequestSchema),
        responses: {
          "202": json("PublishJobResponse", "A new job (follow it with GET or the media.* webhooks)"),
          "200": json("PublishJobResponse", "The job this Idempotency-Key already started"),
          ...errors(
            ...common,
            "media_invalid",
            "idempotency_conflict",
            "reauth_required",
            "permission_missing",
            "payload_too_large",
          ),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionUploads)]: {
      post: api(
        "media:publish",
        "Upload media bytes to publish by uploadId (served to Instagram, deleted when the job ends)",
        {
          parameters: [connection],
          requestBody: {
            required: true,
            content: Object.fromEntries(
              ["image/jpeg", "video/mp4", "video/quicktime"].map((type) => [
                type,
                { schema: { type: "string", format: "binary" } },
              ]),
            ),
          },
          responses: {
            "201": json("UploadResponse", "Stored"),
            ...errors(
              ...common,
              "media_invalid",
              "payload_too_large",
              "reauth_required",
              "permission_missing",
            ),
          },
        },
      ),
    },
    [toOpenApiPath(ROUTES.mediaUpload)]: {
      get: {
        tags: ["meta"],
        summary: "An uploaded media file, for Instagram to fetch while its job needs it",
        parameters: [{ name: "uploadId", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "The bytes",
            content: Object.fromEntries(
              ["image/jpeg", "video/mp4", "video/quicktime"].map((type) => [
                type,
                { schema: { type: "string", format: "binary" } },
              ]),
            ),
          },
          ...errors("not_found"),
        },
      },
    },
    [toOpenApiPath(API_ROUTES.connectionPublishJob)]: {
      get: api("media:publish", "One publishing job", {
        parameters: [connection, job],
        responses: {
          "200": json("PublishJobResponse", "The job"),
          ...errors(...common, "publish_job_not_found"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionMediaItem)]: {
      patch: api("comments:write", "Turn comments on a media on or off", {
        parameters: [connection, media],
        requestBody: body(mediaPatchSchema),
        responses: {
          "200": json("CommentActionResponse", "Done"),
          ...errors(...onObject, "payload_too_large"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionMediaComments)]: {
      get: api("comments:read", "A media's top-level comments, newest first (paged)", {
        parameters: [connection, media, ...queryParameters(commentQuerySchema)],
        responses: { "200": json("CommentPage", "One page"), ...errors(...onObject) },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionComment)]: {
      patch: api("comments:write", "Hide or show a comment", {
        parameters: [connection, comment],
        requestBody: body(commentPatchSchema),
        responses: {
          "200": json("CommentActionResponse", "Done"),
          ...errors(...onObject, "payload_too_large"),
        },
      }),
      delete: api("comments:write", "Delete a comment", {
        parameters: [connection, comment],
        responses: { "200": json("CommentActionResponse", "Deleted"), ...errors(...onObject) },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionCommentReplies)]: {
      get: api("comments:read", "A comment's replies (paged)", {
        parameters: [connection, comment, ...queryParameters(commentQuerySchema)],
        responses: { "200": json("CommentPage", "One page"), ...errors(...onObject) },
      }),
      post: api("comments:write", "Reply to a comment", {
        parameters: [connection, comment],
        requestBody: body(replyBodySchema),
        responses: {
          "201": json("CommentCreatedResponse", "The reply's id"),
          ...errors(...onObject, "payload_too_large"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionInsights)]: {
      get: api(
        "insights:read",
        "Account insights (metric names from the Graph version's allowlist; cached)",
        {
          parameters: [connection, ...queryParameters(accountInsightsQuerySchema)],
          responses: { "200": json("InsightsResponse", "The metrics"), ...errors(...common, ...upstream) },
        },
      ),
    },
    [toOpenApiPath(API_ROUTES.connectionMediaInsights)]: {
      get: api("insights:read", "One media's insights (allowlisted metrics; cached)", {
        parameters: [connection, media, ...queryParameters(mediaInsightsQuerySchema)],
        responses: { "200": json("InsightsResponse", "The metrics"), ...errors(...onObject) },
      }),
    },
    [ROUTES.instagramWebhooks]: {
      get: {
        tags: ["meta"],
        summary: "Instagram's webhook verification (hub.mode, hub.verify_token, hub.challenge)",
        responses: {
          "200": {
            description: "The bare hub.challenge",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          ...errors("forbidden"),
        },
      },
      post: {
        tags: ["meta"],
        summary:
          "Instagram's signed webhook deliveries (X-Hub-Signature-256); comments fan out as instagram.comment",
        responses: {
          "200": { description: "Acknowledged (also for unknown accounts)" },
          ...errors("unauthorized", "invalid_request", "payload_too_large"),
        },
      },
    },
  };
}
