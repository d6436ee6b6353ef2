import { CONNECT_SESSION_TTL, END_USER_ID_MAX_LENGTH, INSTAGRAM_SCOPES } from "@instagram-connect/types";
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
});

/** Body of `PATCH /v1/api/connections/:connectionId`. */
export const connectionPatchSchema = z.strictObject({ metadata: z.nullable(metadataSchema) });

/** Path parameters of `GET /v1/api/end-users/:endUserId/connections`. */
export const endUserParamsSchema = z.object({ endUserId: endUserIdSchema });

/** Query of `GET /v1/api/connections`: paging, or one end user's connections. */
export const connectionListQuerySchema = z.strictObject({
  limit: limitSchema,
  cursor: cursorSchema,
  endUserId: z.optional(endUserIdSchema),
});
