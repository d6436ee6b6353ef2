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
