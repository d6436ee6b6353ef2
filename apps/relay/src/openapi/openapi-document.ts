import {
  ADMIN_ROUTES,
  API_ROUTES,
  type ApiOperation,
  ATTEMPT_VERIFIER_HEADER,
  ERROR_STATUS,
  type ErrorCode,
  ROUTES,
} from "@instagram-connect/types";
import * as z from "zod/mini";
import { GRAPH_ALLOWLIST_SUMMARY } from "../api/graph-allowlist.ts";
import {
  apiKeyParamsSchema,
  connectionListQuerySchema,
  connectionParamsSchema,
  connectionPatchSchema,
  createApiKeySchema,
  createFeedSchema,
  endUserParamsSchema,
  feedParamsSchema,
  graphQuerySchema,
  mediaQuerySchema,
  pageQuerySchema,
  updateFeedSchema,
  widgetMediaQuerySchema,
} from "../request-schemas.ts";
import { actionPaths } from "./action-paths.ts";
import { monitoringPaths } from "./monitoring-paths.ts";
import {
  type ComponentName,
  componentSchemas,
  jsonSchema,
  queryParameters,
  ref,
} from "./openapi-registry.ts";

type Operation = Record<string, unknown>;

const json = (name: ComponentName, description: string) => ({
  description,
  content: { "application/json": { schema: ref(name) } },
});
const html = (description: string) => ({
  description,
  content: { "text/html": { schema: { type: "string" } } },
});
/** Pages that answer HTML to browsers and JSON to `Accept: application/json`. */
const htmlOrJson = (name: ComponentName, description: string) => ({
  description,
  content: { "text/html": { schema: { type: "string" } }, "application/json": { schema: ref(name) } },
});

/** Error responses grouped by status, each listing its codes (body: ErrorBody). */
function errors(...codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, "internal_error" as const]) {
    byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [String(status), json("ErrorBody", `Error: ${list.join(", ")}`)]),
  );
}

const API_ERRORS = ["unauthorized", "forbidden", "rate_limited", "invalid_request"] as const;
const UPSTREAM_ERRORS = [
  "reauth_required",
  "permission_missing",
  "upstream_error",
  "upstream_timeout",
] as const;
const connectionIdParam = {
  name: "connectionId",
  in: "path",
  required: true,
  schema: jsonSchema(connectionParamsSchema.shape.connectionId),
};

function api(operation: ApiOperation, summary: string, extra: Operation): Operation {
  return {
    tags: ["api"],
    summary,
    description: `Needs an API key with \`${operation}\`.`,
    security: [{ apiKey: [] }],
    "x-required-operation": operation,
    ...extra,
  };
}

// Start params are checked by hand in src/oauth/start-params.ts; this schema documents them.
const startQuery = z.object({
  origin: z.string(),
  mode: z.enum(["popup", "redirect"]),
  // Issued by POST /v1/oauth/attempts for this challenge (MAC'd, S35); 50 chars today.
  attemptId: z.string().check(z.regex(/^[A-Za-z0-9_-]{22,64}$/)),
  challenge: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  scopes: z.optional(z.string()),
  returnTo: z.optional(z.string()),
  forceLogin: z.optional(z.enum(["0", "1"])),
});
const callbackQuery = z.object({
  state: z.optional(z.string()),
  code: z.optional(z.string()),
  error: z.optional(z.string()),
  error_reason: z.optional(z.string()),
  error_description: z.optional(z.string()),
});
const signedRequestBody = {
  required: true,
  content: {
    "application/x-www-form-urlencoded": {
      schema: {
        type: "object",
        properties: { signed_request: { type: "string" } },
        required: ["signed_request"],
      },
    },
  },
};

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, "{$1}");

function paths(): Record<string, Record<string, Operation>> {
  const widget = { tags: ["widget"], security: [{ connectionCredential: [] }] };
  const limited = ["rate_limited"] as const;
  return {
    [ROUTES.health]: {
      get: { tags: ["health"], summary: "Liveness", responses: { "200": json("HealthResponse", "Up") } },
    },
    [ROUTES.openapi]: {
      get: {
        tags: ["health"],
        summary: "This document",
        responses: {
          "200": {
            description: "OpenAPI 3.1",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
    [ROUTES.oauthStart]: {
      get: {
        tags: ["oauth"],
        summary: "Start a consent flow (opened by the widget in a popup or the page)",
        parameters: queryParameters(startQuery),
        responses: {
          "200": html(
            "Confirmation page naming the site, when the navigation does not prove it came from `origin` (S30)",
          ),
          "302": { description: "To Instagram's authorize URL; sets the browser-binding cookie" },
          "400": htmlOrJson(
            "ErrorBody",
            "Local error page (JSON with Accept: application/json): invalid_request, origin_not_allowed, return_to_not_allowed, scope_not_allowed",
          ),
          "401": htmlOrJson("ErrorBody", "invalid_session: ANONYMOUS_CONNECT is off, a session is required"),
          "404": htmlOrJson(
            "ErrorBody",
            "attempt_not_found: an attempt id this relay did not issue for `challenge`, or expired (S35)",
          ),
          ...errors(...limited, "config_error"),
        },
      },
      post: {
        tags: ["oauth"],
        summary:
          "Start a consent with a connect session (a form the widget posts into the popup), or the confirmation page's button (the start parameters as a form, from the relay's own page only)",
        description:
          "The same fields as GET as a form body, plus `sessionToken`. The token never appears in a URL. The browser's Origin header must equal `origin`. The token starts one consent only. Without `sessionToken` this is the confirmation page's button: accepted only from the relay's own page (302).",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                ...jsonSchema(startQuery),
                properties: {
                  ...(jsonSchema(startQuery).properties as object),
                  sessionToken: { type: "string" },
                },
              },
            },
          },
        },
        responses: {
          "302": {
            description:
              "Confirmation page button: to Instagram's authorize URL; sets the browser-binding cookie",
          },
          "303": {
            description: "Session form: to Instagram's authorize URL; sets the browser-binding cookie",
          },
          "400": htmlOrJson(
            "ErrorBody",
            "Local error page: invalid_request (also a confirmation POST from another site), origin_not_allowed, return_to_not_allowed, scope_not_allowed",
          ),
          "401": htmlOrJson("ErrorBody", "invalid_session: unknown, expired, used, or not for this origin"),
          "404": htmlOrJson(
            "ErrorBody",
            "attempt_not_found: an attempt id this relay did not issue for `challenge`, or expired (S35)",
          ),
          ...errors(...limited, "payload_too_large", "config_error"),
        },
      },
    },
    [ROUTES.oauthCallback]: {
      get: {
        tags: ["oauth"],
        summary: "Instagram's redirect back",
        parameters: queryParameters(callbackQuery),
        responses: {
          "200": html("Popup mode: posts the OAuthResult to the opener and closes"),
          "303": { description: "Redirect mode: back to returnTo with ic_attempt" },
          "400": htmlOrJson("ErrorBody", "Local error page: invalid_state, invalid_request"),
          "403": htmlOrJson("ErrorBody", "Local error page: access_denied"),
          ...errors(...limited, "config_error"),
        },
      },
    },
    [ROUTES.oauthAttempts]: {
      post: {
        tags: ["oauth"],
        summary: "Issue an attempt id bound to the widget's challenge (S35)",
        description:
          "Called by the widget from an allowed origin (the browser's Origin header must be in ALLOWED_ORIGINS) before it opens the start. Form body with exactly one of `verifier=<43-128 base64url chars>` (the relay hashes it and forgets it) or `challenge=<base64url(SHA-256(verifier))>` (a CORS-simple request). The id carries its expiry and a MAC over the challenge; nothing is stored.",
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                properties: {
                  verifier: { type: "string", pattern: "^[A-Za-z0-9_-]{43,128}$" },
                  challenge: { type: "string", pattern: "^[A-Za-z0-9_-]{43}$" },
                },
              },
            },
          },
        },
        responses: {
          "201": json("AttemptIssuedResponse", "The attempt id and until when a start may use it"),
          ...errors("invalid_request", "origin_not_allowed", "payload_too_large", "config_error"),
        },
      },
    },
    [toOpenApiPath(ROUTES.oauthAttempt)]: {
      get: {
        tags: ["oauth"],
        summary:
          "Poll a consent attempt (when postMessage cannot arrive); an id the relay did not issue for the verifier's challenge is 404 before any storage is read",
        parameters: [
          { name: "attemptId", in: "path", required: true, schema: { type: "string" } },
          { name: ATTEMPT_VERIFIER_HEADER, in: "header", required: true, schema: { type: "string" } },
        ],
        responses: {
          "200": json("AttemptResponse", "Pending or complete (once)"),
          ...errors("attempt_not_found", ...limited, "config_error"),
        },
      },
    },
    [ROUTES.connectionMe]: {
      get: {
        ...widget,
        summary: "The widget's own connection",
        responses: {
          "200": json("ConnectionResponse", "The connection"),
          ...errors("unauthorized", ...limited),
        },
      },
      delete: {
        ...widget,
        summary: "Disconnect the widget's own connection",
        responses: {
          "200": json("DisconnectResponse", "Disconnected"),
          ...errors("unauthorized", ...limited),
        },
      },
    },
    [ROUTES.connectionMeMedia]: {
      get: {
        ...widget,
        summary: "The widget's connection's media (cached)",
        parameters: queryParameters(widgetMediaQuerySchema),
        responses: {
          "200": json("MediaPage", "One page"),
          ...errors("invalid_request", "unauthorized", ...limited, ...UPSTREAM_ERRORS),
        },
      },
    },
    [ROUTES.sessionConnections]: {
      get: {
        tags: ["widget"],
        security: [{ connectSession: [] }],
        summary: "The connect session's end user's connections (any device)",
        responses: {
          "200": json("EndUserConnectionsResponse", "Newest first"),
          ...errors("invalid_session", ...limited),
        },
      },
    },
    [toOpenApiPath(ROUTES.sessionConnection)]: {
      delete: {
        tags: ["widget"],
        security: [{ connectSession: [] }],
        summary: "Disconnect one of the session's end user's connections",
        parameters: [connectionIdParam],
        responses: {
          "200": json("DisconnectResponse", "Disconnected"),
          ...errors("invalid_request", "invalid_session", "connection_not_found", ...limited),
        },
      },
    },
    [toOpenApiPath(ROUTES.connectLink)]: {
      get: {
        tags: ["oauth"],
        summary: "Hosted connect link (a session's `connectUrl`): the page naming the site; spends nothing",
        parameters: [
          {
            name: "link",
            in: "path",
            required: true,
            description: "`icl_<sessionId>.<secret>` (secret; redacted from logs)",
            schema: { type: "string" },
          },
        ],
        responses: {
          "200": html("The page with its one button (a same-origin form POST to this URL)"),
          "401": html("invalid_session: unknown, expired or already used link"),
          ...errors(...limited, "config_error"),
        },
      },
      post: {
        tags: ["oauth"],
        summary: "The link page's button: spends the session (once) and starts the consent",
        description:
          "An empty form from the link's own page only (Hono csrf: same-origin Origin or Sec-Fetch-Site). The callback ends on the relay's result page (`data-result` / `data-error-code`), which offers a link back to the session's `returnUrl` with `ic_result`.",
        parameters: [{ name: "link", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "303": { description: "To Instagram's authorize URL; sets the browser-binding cookie" },
          "400": html("invalid_request: not posted by the link's own page"),
          "401": html("invalid_session: unknown, expired or already used link (of two concurrent uses, one)"),
          "413": html("payload_too_large"),
          ...errors(...limited, "config_error"),
        },
      },
    },
    [ROUTES.jwks]: {
      get: {
        tags: ["health"],
        summary: "Public keys verifying connect receipts (EdDSA); old keys stay listed during rotation",
        responses: { "200": json("Jwks", "JWKS"), ...errors("config_error") },
      },
    },
    [ROUTES.metaDeauthorize]: {
      post: {
        tags: ["meta"],
        summary: "Meta's deauthorize callback (signed_request)",
        requestBody: signedRequestBody,
        responses: {
          "200": json("DeauthorizeResponse", "Accepted; the user's tokens are deleted"),
          ...errors("invalid_signed_request", "payload_too_large"),
        },
      },
    },
    [ROUTES.metaDataDeletion]: {
      post: {
        tags: ["meta"],
        summary: "Meta's data deletion request callback (signed_request)",
        requestBody: signedRequestBody,
        responses: {
          "200": json("DataDeletionResponse", "Status URL and code"),
          ...errors("invalid_signed_request", "payload_too_large"),
        },
      },
    },
    [toOpenApiPath(ROUTES.metaDeletionStatus)]: {
      get: {
        tags: ["meta"],
        summary: "Status page of a data deletion request",
        parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": htmlOrJson(
            "DeletionStatusResponse",
            "The deletion's state (JSON with Accept: application/json)",
          ),
          "404": htmlOrJson("ErrorBody", "deletion_not_found"),
        },
      },
    },
    ...feedPaths(),
    ...apiPaths(),
    ...actionPaths({ json, errors, api }),
    ...monitoringPaths({ json, errors, api }),
    ...adminPaths(),
  };
}

/**
 * The admin API is in the public document on purpose: its paths are in the open source anyway,
 * every call needs ADMIN_SECRET (and a relay without one answers 404), and tooling (the CLI,
 * generated clients) gets the same checked contract as the app API.
 */
function adminPaths(): Record<string, Record<string, Operation>> {
  const admin = (summary: string, extra: Operation): Operation => ({
    tags: ["admin"],
    summary,
    description: "Needs `Authorization: Bearer <ADMIN_SECRET>`; 404 when the relay has no ADMIN_SECRET.",
    security: [{ adminSecret: [] }],
    ...extra,
  });
  const ADMIN_ERRORS = [
    "not_found",
    "unauthorized",
    "rate_limited",
    "invalid_request",
    "config_error",
  ] as const;
  return {
    [ADMIN_ROUTES.apiKeys]: {
      post: admin("Create an API key (the key is in this answer only)", {
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchema(createApiKeySchema) } },
        },
        responses: {
          "201": json("CreateApiKeyResponse", "The key, shown once, and its metadata"),
          ...errors(...ADMIN_ERRORS, "payload_too_large"),
        },
      }),
      get: admin("List API keys (metadata only, paged)", {
        parameters: queryParameters(pageQuerySchema),
        responses: { "200": json("ApiKeyListResponse", "One page"), ...errors(...ADMIN_ERRORS) },
      }),
    },
    [toOpenApiPath(ADMIN_ROUTES.apiKey)]: {
      delete: admin("Revoke an API key (refused everywhere within about 60 s)", {
        parameters: [
          { name: "keyId", in: "path", required: true, schema: jsonSchema(apiKeyParamsSchema.shape.keyId) },
        ],
        responses: {
          "200": json("RevokeApiKeyResponse", "Revoked"),
          ...errors(...ADMIN_ERRORS, "api_key_not_found"),
        },
      }),
    },
  };
}

const feedIdParam = {
  name: "feedId",
  in: "path",
  required: true,
  schema: jsonSchema(feedParamsSchema.shape.feedId),
};
const jsonBody = (schema: z.ZodMiniType) => ({
  required: true,
  content: { "application/json": { schema: jsonSchema(schema) } },
});

/** The public feed routes and feed management on the app API. */
function feedPaths(): Record<string, Record<string, Operation>> {
  const publicFeed = { tags: ["feeds"], security: [] };
  const notFound = ["feed_not_found"] as const;
  return {
    [toOpenApiPath(ROUTES.feed)]: {
      get: {
        ...publicFeed,
        summary: "A public feed (CORS for the feed's allowedOrigins only; ETag, Cache-Control)",
        parameters: [
          feedIdParam,
          { name: "If-None-Match", in: "header", required: false, schema: { type: "string" } },
        ],
        responses: {
          "200": json("PublicFeed", "The feed (its last good copy when `stale`)"),
          "304": { description: "Not modified (If-None-Match)" },
          ...errors(...notFound, "rate_limited", "reauth_required", "upstream_error", "upstream_timeout"),
        },
      },
      options: {
        ...publicFeed,
        summary: "CORS preflight (allow headers only for the feed's allowedOrigins)",
        parameters: [feedIdParam],
        responses: { "204": { description: "Preflight answer" }, ...errors(...notFound) },
      },
    },
    [toOpenApiPath(ROUTES.feedMedia)]: {
      get: {
        ...publicFeed,
        summary: "One feed image: the relay's R2 copy (immutable) or, in proxy mode, streamed through",
        parameters: [
          feedIdParam,
          { name: "mediaId", in: "path", required: true, schema: { type: "string" } },
        ],
        responses: {
          "200": {
            description: "The image",
            content: { "image/*": { schema: { type: "string", format: "binary" } } },
          },
          "304": { description: "Not modified (If-None-Match)" },
          ...errors(...notFound, "upstream_error", "upstream_timeout"),
        },
      },
    },
    [API_ROUTES.feeds]: {
      get: api("feeds:write", "List feeds (paged)", {
        parameters: queryParameters(pageQuerySchema),
        responses: { "200": json("FeedListResponse", "One page"), ...errors(...API_ERRORS) },
      }),
      post: api("feeds:write", "Publish a feed of a connection (copies its images into R2 at once)", {
        requestBody: jsonBody(createFeedSchema),
        responses: {
          "201": json("FeedResponse", "Created"),
          ...errors(...API_ERRORS, "connection_not_found", "payload_too_large"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.feed)]: {
      get: api("feeds:write", "One feed's settings", {
        parameters: [feedIdParam],
        responses: { "200": json("FeedResponse", "The feed"), ...errors(...API_ERRORS, ...notFound) },
      }),
      patch: api("feeds:write", "Change a feed (refreshes it)", {
        parameters: [feedIdParam],
        requestBody: jsonBody(updateFeedSchema),
        responses: {
          "200": json("FeedResponse", "Changed"),
          ...errors(...API_ERRORS, ...notFound, "payload_too_large"),
        },
      }),
      delete: api("feeds:write", "Delete a feed and its R2 copies", {
        parameters: [feedIdParam],
        responses: { "200": json("FeedDeletedResponse", "Deleted"), ...errors(...API_ERRORS, ...notFound) },
      }),
    },
  };
}

function apiPaths(): Record<string, Record<string, Operation>> {
  const byId = [connectionIdParam];
  const keyIdParameter = {
    name: "keyId",
    in: "path",
    required: true,
    schema: jsonSchema(apiKeyParamsSchema.shape.keyId),
  };
  const notFound = ["connection_not_found"] as const;
  return {
    [API_ROUTES.connections]: {
      get: api(
        "connections:read",
        "List connections (paged), or one end user's (`endUserId`, one page); `tag=key:value` (repeatable, all must match) filters by metadata",
        {
          parameters: queryParameters(connectionListQuerySchema),
          responses: { "200": json("ConnectionListResponse", "One page"), ...errors(...API_ERRORS) },
        },
      ),
    },
    [toOpenApiPath(API_ROUTES.connection)]: {
      get: api("connections:read", "One connection", {
        parameters: byId,
        responses: {
          "200": json("ConnectionResponse", "The connection"),
          ...errors(...API_ERRORS, ...notFound),
        },
      }),
      patch: api("connections:write", "Replace the connection's metadata (JSON object, at most 4 KB)", {
        parameters: byId,
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchema(connectionPatchSchema) } },
        },
        responses: {
          "200": json("ConnectionResponse", "The updated connection"),
          ...errors(...API_ERRORS, ...notFound, "payload_too_large"),
        },
      }),
      delete: api("connections:delete", "Disconnect (deletes the stored token; webhook connection.deleted)", {
        parameters: byId,
        responses: {
          "200": json("DisconnectResponse", "Disconnected"),
          ...errors(...API_ERRORS, ...notFound),
        },
      }),
    },
    [API_ROUTES.connectSessions]: {
      post: api("sessions:write", "Create a connect session for one of your end users", {
        requestBody: {
          required: true,
          content: { "application/json": { schema: ref("ConnectSessionRequest") } },
        },
        responses: {
          "201": json("ConnectSessionResponse", "The session token (secret, short-lived, one consent)"),
          ...errors(
            ...API_ERRORS,
            "scope_not_allowed",
            "origin_not_allowed",
            "return_to_not_allowed",
            "connection_not_found",
            "payload_too_large",
          ),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.endUserConnections)]: {
      get: api("connections:read", "One end user's connections (one page)", {
        parameters: [
          {
            name: "endUserId",
            in: "path",
            required: true,
            schema: jsonSchema(endUserParamsSchema.shape.endUserId),
          },
        ],
        responses: { "200": json("ConnectionListResponse", "Newest first"), ...errors(...API_ERRORS) },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionMedia)]: {
      get: api("media:read", "The connection's media (proxied; the token stays in the relay)", {
        parameters: [...byId, ...queryParameters(mediaQuerySchema)],
        responses: {
          "200": json("MediaPage", "One page"),
          ...errors(...API_ERRORS, ...notFound, ...UPSTREAM_ERRORS),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.keyUsage)]: {
      get: api(
        "connections:read",
        "Records per encryption key id for every sealed or hashed field (key rotation)",
        {
          description:
            "Follow nextCursor to null; a key id no page counts can be removed from TOKEN_ENCRYPTION_KEYS (API.md).",
          parameters: queryParameters(pageQuerySchema),
          responses: { "200": json("KeyUsageResponse", "One page"), ...errors(...API_ERRORS) },
        },
      ),
    },
    [toOpenApiPath(API_ROUTES.webhookDeadLetters)]: {
      get: api(
        "webhooks:manage",
        "Webhook events of the connection that failed every attempt, oldest first",
        {
          parameters: byId,
          responses: { "200": json("WebhookDeadLettersResponse", "Dead letters"), ...errors(...API_ERRORS) },
        },
      ),
    },
    [toOpenApiPath(API_ROUTES.webhookReplay)]: {
      post: api("webhooks:manage", "Queue a dead letter again (same event id; receivers dedupe on it)", {
        parameters: [...byId, { name: "eventId", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": json("WebhookReplayResponse", "Queued"),
          ...errors(...API_ERRORS, "not_found"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.keyWebhookDeadLetters)]: {
      get: api(
        "webhooks:manage",
        "An API key's webhook events (security.anomaly) that failed every attempt",
        {
          parameters: [keyIdParameter],
          responses: { "200": json("WebhookDeadLettersResponse", "Dead letters"), ...errors(...API_ERRORS) },
        },
      ),
    },
    [toOpenApiPath(API_ROUTES.keyWebhookReplay)]: {
      post: api("webhooks:manage", "Queue one of an API key's dead letters again (same event id)", {
        parameters: [
          keyIdParameter,
          { name: "eventId", in: "path", required: true, schema: { type: "string" } },
        ],
        responses: {
          "200": json("WebhookReplayResponse", "Queued"),
          ...errors(...API_ERRORS, "not_found"),
        },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionAudit)]: {
      get: api("audit:read", "The connection's audit trail, newest first", {
        parameters: [...byId, ...queryParameters(pageQuerySchema)],
        responses: { "200": json("AuditTrailResponse", "One page"), ...errors(...API_ERRORS, ...notFound) },
      }),
    },
    [toOpenApiPath(API_ROUTES.connectionToken)]: {
      get: api("token:read", "The current access token (off unless API_TOKEN_EXPORT=true)", {
        parameters: byId,
        responses: {
          "200": json("TokenExportResponse", "The token; keep it server side"),
          ...errors(...API_ERRORS, ...notFound, "reauth_required", "config_error"),
        },
      }),
    },
    [`${toOpenApiPath(API_ROUTES.connectionGraph).replace(/\/\*$/, "")}/{graphPath}`]: {
      get: api("graph:read", "Read-only Graph passthrough for an allowlist of paths and fields", {
        description: `Needs \`graph:read\`. Allowed: ${GRAPH_ALLOWLIST_SUMMARY}. Anything else: 403 graph_path_not_allowed. paging.next/previous are removed.`,
        parameters: [
          ...byId,
          { name: "graphPath", in: "path", required: true, schema: { type: "string" } },
          ...queryParameters(graphQuerySchema),
        ],
        responses: {
          "200": json("GraphObject", "Graph's JSON"),
          ...errors(...API_ERRORS, ...notFound, "graph_path_not_allowed", ...UPSTREAM_ERRORS),
        },
      }),
    },
  };
}

/** The relay's OpenAPI 3.1 document: every route, generated from the routes' zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "instagram-connect relay",
      version: "1",
      description:
        "Consent flow, widget routes, Meta callbacks, the app API and the admin API. See apps/relay/API.md.",
    },
    paths: paths(),
    webhooks: {
      connectionEvent: {
        post: {
          summary:
            "connection.created | reconnected | refreshed | reauth_required | deleted (each with endUserId), media.published | media.failed, instagram.comment; signed with X-IC-Signature",
          requestBody: { required: true, content: { "application/json": { schema: ref("WebhookEvent") } } },
          responses: {
            "200": { description: "Any 2xx acknowledges; anything else is retried with backoff" },
          },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "API key (`api-key create`); never in a URL" },
        adminSecret: {
          type: "http",
          scheme: "bearer",
          description: "The relay's ADMIN_SECRET (API key management only)",
        },
        connectionCredential: {
          type: "http",
          scheme: "bearer",
          description: "The widget's connection credential",
        },
        connectSession: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "`Session <connect session token>`",
        },
      },
    },
  };
}
