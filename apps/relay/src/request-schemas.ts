import { API_OPERATIONS } from "@instagram-connect/types";
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

/** What an API key name may hold (the admin route and `scripts/api-key.mjs` both check it). */
export const API_KEY_NAME_PATTERN = /^[\w .-]{1,64}$/;

/** Body of `POST /v1/admin/api-keys`; `operations` come from the one list in the types package. */
export const createApiKeySchema = z.strictObject({
  name: z.string().check(z.trim(), z.regex(API_KEY_NAME_PATTERN)),
  operations: z.array(z.enum(API_OPERATIONS)).check(z.minLength(1), z.maxLength(API_OPERATIONS.length)),
});

/** Path of the admin key routes: `key_` + 128 random bits (base64url). */
export const apiKeyParamsSchema = z.object({ keyId: z.string().check(z.regex(/^key_[A-Za-z0-9_-]{22}$/)) });
