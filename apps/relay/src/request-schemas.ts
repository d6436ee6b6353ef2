import {
  API_OPERATIONS,
  CONNECT_SESSION_TTL,
  CONNECTION_TAG_FILTER,
  END_USER_ID_MAX_LENGTH,
  INSTAGRAM_SCOPES,
} from "@instagram-connect/types";
import * as z from "zod/mini";

// Kept free of runtime relay imports: scripts/openapi.mjs loads this file in Node.

/**
 * Request schemas: one per input. The routes validate with these and the OpenAPI document is
 * generated from them (scripts/openapi.mjs), so the two cannot drift.
 */

/** A relay connection id: `conn_` + 128 random bits (base64url). */
export const connectionIdSchema = z.string().check(z.regex(/^conn_[A-Za-z0-9_-]{22}$/));

/** Path parameters of the per-connection routes. */
export const connectionParamsSchema = z.object({ connectionId: connectionIdSchema });

/** Path parameters of a dead letter's replay route (event ids: `evt_` + 128 random bits). */
export const deadLetterParamsSchema = z.object({
  connectionId: connectionIdSchema,
  eventId: z.string().check(z.regex(/^evt_[A-Za-z0-9_-]{22}$/)),
});

/** Path parameters of an API key's dead letter replay route. */
export const keyDeadLetterParamsSchema = z.object({
  keyId: z.string().check(z.regex(/^key_[A-Za-z0-9_-]{22}$/)),
  eventId: deadLetterParamsSchema.shape.eventId,
});

const limitSchema = z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)));
const cursorSchema = z.optional(z.string().check(z.minLength(1), z.maxLength(1024)));

/** Default page size of every paged route. */
export const DEFAULT_PAGE_LIMIT = 25;

/** Query of the paged list routes (connections, audit). Unknown parameters are refused. */
export const pageQuerySchema = z.strictObject({ limit: limitSchema, cursor: cursorSchema });

/** Graph's opaque paging cursors: anything else is refused before Instagram is asked. */
export const MEDIA_CURSOR_PATTERN = /^[A-Za-z0-9_=.%-]{1,256}$/;

/** The widget media route's page sizes (Graph allows up to 100; widgets show a grid). */
export const WIDGET_MEDIA_LIMIT = { min: 1, max: 50, default: 12 } as const;

/**
 * Query of the widget's `/v1/connections/me/media`: `limit` as 1-3 digits within 1..50 (default
 * 12), `after` a Graph cursor. Other parameters are ignored (the widget route is lenient; the
 * API's is strict).
 */
export const widgetMediaQuerySchema = z.object({
  limit: z.optional(
    z
      .string()
      .check(
        z.regex(/^\d{1,3}$/),
        z.refine(
          (value) => Number(value) >= WIDGET_MEDIA_LIMIT.min && Number(value) <= WIDGET_MEDIA_LIMIT.max,
        ),
      )
      // The refinement is invisible to JSON Schema: say the range in the document.
      .register(z.globalRegistry, { description: "Page size 1..50 (default 12)" }),
  ),
  after: z.optional(z.string().check(z.regex(MEDIA_CURSOR_PATTERN))),
});

/** Query of the API media route. Unknown parameters are refused. */
export const mediaQuerySchema = z.strictObject({
  limit: limitSchema,
  after: z.optional(z.string().check(z.regex(MEDIA_CURSOR_PATTERN))),
});

/**
 * Query of the Graph passthrough. Only these four parameters may be sent; any other one is
 * `graph_path_not_allowed` (checked with the path and field allowlist).
 */
export const graphQuerySchema = z.object({
  fields: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  limit: limitSchema,
  after: cursorSchema,
  before: cursorSchema,
});

/** Metadata: any JSON object (its size, at most 4 KB, is checked after parsing: 413). */
export const metadataSchema = z.record(z.string(), z.json());

/** An end user id as the site knows it: 1..255 characters. */
export const endUserIdSchema = z.string().check(z.minLength(1), z.maxLength(END_USER_ID_MAX_LENGTH));

/** Body of `POST /v1/api/connect-sessions`. Unknown fields are refused. */
export const connectSessionBodySchema = z.strictObject({
  endUser: z.strictObject({
    id: endUserIdSchema,
    displayName: z.optional(z.string().check(z.maxLength(255))),
    email: z.optional(z.string().check(z.maxLength(320))),
  }),
  metadata: z.optional(metadataSchema),
  allowedScopes: z.optional(z.array(z.enum(INSTAGRAM_SCOPES)).check(z.minLength(1))),
  allowedOrigins: z.optional(
    z.array(z.string().check(z.maxLength(2048))).check(z.minLength(1), z.maxLength(50)),
  ),
  ttlSeconds: z.optional(z.number().check(z.int(), z.minimum(60), z.maximum(CONNECT_SESSION_TTL.max))),
  reconnectConnectionId: z.optional(connectionIdSchema),
  // Its origin must be one the session allows (checked by the route: `return_to_not_allowed`).
  returnUrl: z.optional(
    z.string().check(
      z.maxLength(2048),
      z.refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: "an http(s) URL",
      }),
    ),
  ),
});

/** Body of `PATCH /v1/api/connections/:connectionId`. */
export const connectionPatchSchema = z.strictObject({ metadata: z.nullable(metadataSchema) });

/** Path parameters of `GET /v1/api/end-users/:endUserId/connections`. */
export const endUserParamsSchema = z.object({ endUserId: endUserIdSchema });

/**
 * One metadata tag filter, `<key>:<value>`: the key 1..64 of `[A-Za-z0-9_.-]`, the value (after
 * the first colon, may be empty) up to 256 characters without control characters.
 */
export const connectionTagSchema = z
  .string()
  .check(
    z.regex(
      new RegExp(
        `^[A-Za-z0-9_.-]{1,${CONNECTION_TAG_FILTER.maxKeyLength}}:[^\\u0000-\\u001f\\u007f]{0,${CONNECTION_TAG_FILTER.maxValueLength}}$`,
      ),
    ),
  )
  .register(z.globalRegistry, {
    description: `Metadata tag filter \`key:value\`; repeat the parameter (up to ${CONNECTION_TAG_FILTER.maxTags}) to require several`,
  });

/** Every `tag` of a list query (repeatable): at most 10, each well-formed, else 400. */
export const connectionTagsSchema = z
  .array(connectionTagSchema)
  .check(z.maxLength(CONNECTION_TAG_FILTER.maxTags));

/** Query of `GET /v1/api/connections`: paging, or one end user's connections; metadata tag filters. */
export const connectionListQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema,
  endUserId: z.optional(endUserIdSchema),
  tag: z.optional(connectionTagSchema),
});

/** What an API key name may hold (the admin route and `scripts/api-key.mjs` both check it). */
export const API_KEY_NAME_PATTERN = /^[\w .-]{1,64}$/;

/** Body of `POST /v1/admin/api-keys`; `operations` come from the one list in the types package. */
export const createApiKeySchema = z.strictObject({
  name: z.string().check(z.trim(), z.regex(API_KEY_NAME_PATTERN)),
  operations: z.array(z.enum(API_OPERATIONS)).check(z.minLength(1), z.maxLength(API_OPERATIONS.length)),
});

/** Path of the admin key routes: `key_` + 128 random bits (base64url). */
export const apiKeyParamsSchema = z.object({ keyId: z.string().check(z.regex(/^key_[A-Za-z0-9_-]{22}$/)) });
/** An Instagram object id (media, comment): digits only, so nothing else reaches a Graph path. */
export const instagramObjectIdSchema = z.string().check(z.regex(/^\d{1,32}$/));

/** Path parameters of the per-media routes. */
export const mediaParamsSchema = z.object({
  connectionId: connectionIdSchema,
  mediaId: instagramObjectIdSchema,
});

/** Path parameters of the per-comment routes. */
export const commentParamsSchema = z.object({
  connectionId: connectionIdSchema,
  commentId: instagramObjectIdSchema,
});

/** Path parameters of a publishing job. */
export const jobParamsSchema = z.object({
  connectionId: connectionIdSchema,
  jobId: z.string().check(z.regex(/^job_[A-Za-z0-9_-]{22}$/)),
});

/** The `Idempotency-Key` header of a publish: 1-255 visible ASCII characters. */
export const idempotencyKeySchema = z.string().check(z.regex(/^[\x21-\x7e]{1,255}$/));

const HASHTAG = /(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu;

/** How many hashtags a caption holds (Instagram allows 30). */
export function countHashtags(caption: string): number {
  return caption.match(HASHTAG)?.length ?? 0;
}

const httpsUrlSchema = z.string().check(
  z.maxLength(2048),
  z.refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", {
    message: "an https URL",
  }),
);

/** One media of a publish: a public https URL Instagram fetches, or an `uploadId` from the relay's upload route. */
export const publishMediaSchema = z
  .strictObject({
    kind: z.optional(z.enum(["image", "video"])),
    url: z.optional(httpsUrlSchema),
    uploadId: z.optional(z.string().check(z.regex(/^upl_[A-Za-z0-9_-]{22}$/))),
  })
  .check(
    z.refine((media) => (media.url === undefined) !== (media.uploadId === undefined), {
      message: "url or uploadId",
    }),
  );

/**
 * Body of `POST .../publish`. Instagram's rules are checked here, before anything is created:
 * caption <= 2,200 characters and <= 30 hashtags, carousels 2-10 items, https media URLs,
 * exactly one of `media` (image, video, reel, story) or `items` (carousel). Refused: `media_invalid`.
 */
export const publishRequestSchema = z
  .strictObject({
    type: z.enum(["image", "video", "reel", "carousel", "story"]),
    media: z.optional(publishMediaSchema),
    items: z.optional(z.array(publishMediaSchema).check(z.minLength(2), z.maxLength(10))),
    caption: z.optional(
      z.string().check(
        z.maxLength(2200),
        z.refine((caption) => countHashtags(caption) <= 30, { message: "at most 30 hashtags" }),
      ),
    ),
    altText: z.optional(z.string().check(z.maxLength(1000))),
    shareToFeed: z.optional(z.boolean()),
  })
  .check(
    z.refine(
      (body) => (body.type === "carousel" ? !!body.items && !body.media : !!body.media && !body.items),
      {
        message: "carousel takes items, every other type takes media",
      },
    ),
    z.refine((body) => body.type !== "story" || body.caption === undefined, {
      message: "stories take no caption",
    }),
  );

/** Query of the comment and reply lists: `limit` 1..50 (Instagram's maximum), `after` cursor. */
export const commentQuerySchema = z.strictObject({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(50))),
  after: z.optional(z.string().check(z.regex(MEDIA_CURSOR_PATTERN))),
});

/** Body of a reply: 1-2,200 characters. */
export const replyBodySchema = z.strictObject({
  message: z.string().check(z.minLength(1), z.maxLength(2200)),
});

/** Body of `PATCH .../comments/:commentId`. */
export const commentPatchSchema = z.strictObject({ hidden: z.boolean() });

/** Body of `PATCH .../media/:mediaId`. */
export const mediaPatchSchema = z.strictObject({ commentsEnabled: z.boolean() });

const metricsSchema = z.string().check(z.regex(/^[a-z_]{1,64}(,[a-z_]{1,64}){0,19}$/));
const unixSeconds = z.optional(z.coerce.number().check(z.int(), z.minimum(0)));

/** Query of account insights (metric names are checked against the version's allowlist). */
export const accountInsightsQuerySchema = z.strictObject({
  metrics: metricsSchema,
  period: z.optional(z.enum(["day", "lifetime"])),
  metricType: z.optional(z.enum(["total_value", "time_series"])),
  breakdown: z.optional(z.string().check(z.regex(/^[a-z_]{1,64}(,[a-z_]{1,64}){0,3}$/))),
  timeframe: z.optional(z.enum(["this_week", "this_month"])),
  since: unixSeconds,
  until: unixSeconds,
});

/** Query of media insights. */
export const mediaInsightsQuerySchema = z.strictObject({
  metrics: metricsSchema,
  breakdown: z.optional(z.string().check(z.regex(/^[a-z_]{1,64}$/))),
});

/** A public feed id: `feed_` + 128 random bits (base64url). */
export const feedIdSchema = z.string().check(z.regex(/^feed_[A-Za-z0-9_-]{22}$/));

/** Path parameters of the per-feed API routes. */
export const feedParamsSchema = z.object({ feedId: feedIdSchema });

// An exact origin as browsers send it (scheme, host, optional port; no path, no trailing slash).
const feedOriginSchema = z.string().check(
  z.maxLength(253),
  z.refine((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  }),
);

const feedFields = {
  allowedOrigins: z.array(feedOriginSchema).check(z.minLength(1), z.maxLength(20)),
  limit: z
    .int()
    .check(z.minimum(1), z.maximum(50))
    .register(z.globalRegistry, { description: "Items shown, 1..50 (default 12)" }),
  mediaTypes: z.array(z.enum(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"])).check(z.minLength(1), z.maxLength(3)),
  includeCaptions: z.boolean(),
  mediaMode: z.enum(["copy", "proxy"]),
};

/** Body of `POST /v1/api/feeds`. Unknown fields are refused. */
export const createFeedSchema = z.strictObject({
  connectionId: connectionIdSchema,
  allowedOrigins: feedFields.allowedOrigins,
  limit: z.optional(feedFields.limit),
  mediaTypes: z.optional(feedFields.mediaTypes),
  includeCaptions: z.optional(feedFields.includeCaptions),
  mediaMode: z.optional(feedFields.mediaMode),
});

/** Body of `PATCH /v1/api/feeds/:feedId`: any create field but the connection. */
export const updateFeedSchema = z.strictObject({
  allowedOrigins: z.optional(feedFields.allowedOrigins),
  limit: z.optional(feedFields.limit),
  mediaTypes: z.optional(feedFields.mediaTypes),
  includeCaptions: z.optional(feedFields.includeCaptions),
  mediaMode: z.optional(feedFields.mediaMode),
});

/** Query of `GET /v1/api/usage` and `.../connections/:id/usage`: `keyId` (usage only) and `window`. */
export const usageQuerySchema = z.strictObject({
  keyId: z.optional(z.string().check(z.regex(/^key_[A-Za-z0-9_-]{22}$/))),
  window: z.optional(z.enum(["hour", "day"])),
});

/** Query of `GET /v1/api/connections/:id/usage`: `window` only. */
export const connectionUsageQuerySchema = z.strictObject({ window: z.optional(z.enum(["hour", "day"])) });

/** Most budgets one health call reads (one Durable Object call per account on the page). */
export const HEALTH_PAGE_LIMIT = { max: 25, default: 10 } as const;

/** Query of `GET /v1/api/health`: `limit` (list entries and budgets per page) and the budgets' `cursor`. */
export const healthQuerySchema = z.strictObject({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(HEALTH_PAGE_LIMIT.max))),
  cursor: cursorSchema,
});
