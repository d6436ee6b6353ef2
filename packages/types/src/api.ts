import type { ConnectionView } from "./connection.ts";
import type { AuditEvent, WebhookEventName } from "./events.ts";
import type { ConnectionMetadata } from "./sessions.ts";

/**
 * What an API key may do. Each `/v1/api` route needs exactly one operation; a key lists the
 * operations it was created with (`api-key create --ops connections:read,media:read`).
 */
export const API_OPERATIONS = [
  "connections:read",
  "connections:delete",
  "media:read",
  "audit:read",
  "token:read",
  "graph:read",
  "sessions:write",
  "connections:write",
] as const;

/** One API key operation. */
export type ApiOperation = (typeof API_OPERATIONS)[number];

/** True when `value` is an API key operation name. */
export function isApiOperation(value: string): value is ApiOperation {
  return (API_OPERATIONS as readonly string[]).includes(value);
}

/** Paths of the server-to-server API (send `Authorization: Bearer <api key>`; never in a URL). */
export const API_ROUTES = {
  connections: "/v1/api/connections",
  connection: "/v1/api/connections/:connectionId",
  connectionMedia: "/v1/api/connections/:connectionId/media",
  connectionAudit: "/v1/api/connections/:connectionId/audit",
  connectionToken: "/v1/api/connections/:connectionId/token",
  /** Followed by an allowlisted Graph path: `me`, `me/media`, `<media-id>`, `<media-id>/children`. */
  connectionGraph: "/v1/api/connections/:connectionId/graph/*",
  connectSessions: "/v1/api/connect-sessions",
  endUserConnections: "/v1/api/end-users/:endUserId/connections",
} as const;

/** Name of an API route. */
export type ApiRouteName = keyof typeof API_ROUTES;

/** The operation each API route needs. */
export const API_ROUTE_OPERATIONS: Readonly<Record<string, ApiOperation>> = {
  "GET /v1/api/connections": "connections:read",
  "GET /v1/api/connections/:connectionId": "connections:read",
  "DELETE /v1/api/connections/:connectionId": "connections:delete",
  "GET /v1/api/connections/:connectionId/media": "media:read",
  "GET /v1/api/connections/:connectionId/audit": "audit:read",
  "GET /v1/api/connections/:connectionId/token": "token:read",
  "GET /v1/api/connections/:connectionId/graph/*": "graph:read",
  "PATCH /v1/api/connections/:connectionId": "connections:write",
  "POST /v1/api/connect-sessions": "sessions:write",
  "GET /v1/api/end-users/:endUserId/connections": "connections:read",
};

/** Query of the paged list routes: `limit` 1..100 (default 25), `cursor` from the last page. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** Query of the media route: `limit` 1..100 (default 25), `after` = the last page's `nextCursor`. */
export interface MediaQuery {
  limit?: number;
  after?: string;
}

/** Response of `GET /v1/api/connections`. Pass `nextCursor` back as `cursor`; null on the last page. */
export interface ConnectionListResponse {
  items: ConnectionView[];
  nextCursor: string | null;
}

/** Response of `GET /v1/api/connections/:connectionId/audit`, newest first. */
export interface AuditTrailResponse {
  items: AuditEvent[];
  nextCursor: string | null;
}

/**
 * Response of `GET /v1/api/connections/:connectionId/token`: off unless the relay sets
 * `API_TOKEN_EXPORT=true` and the key has `token:read`. Keep the token server side.
 */
export interface TokenExportResponse {
  connectionId: string;
  accessToken: string;
  /** ISO 8601 expiry of the long-lived token. */
  expiresAt: string;
}

/** Headers on every webhook delivery. */
export const WEBHOOK_HEADERS = {
  /** Unix seconds when the delivery was signed. */
  timestamp: "X-IC-Timestamp",
  /** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
  signature: "X-IC-Signature",
  /** The event id (same on every retry; use it to drop duplicates). */
  id: "X-IC-Event-Id",
} as const;

/** What a webhook event says about its connection. Never holds a token. */
export interface WebhookEventData {
  connectionId: string;
  /** The professional account id (`user_id`), when known. */
  instagramUserId?: string;
  username?: string;
  /** Why (reauth_required, connection.deleted): e.g. `user_disconnected`, `deauthorized`. */
  reason?: string;
  /** connection.created only: true when an existing connection was connected again. */
  reconnected?: boolean;
  /** ISO 8601 expiry of the token (created, refreshed). */
  tokenExpiresAt?: string;
  /** The end user who owns the connection (null: an anonymous connect), when known. */
  endUserId?: string | null;
  /** The connection's metadata (from its connect session or PATCH), when known. */
  metadata?: ConnectionMetadata | null;
}

/** The JSON body of a webhook delivery. */
export interface WebhookEvent {
  /** `evt_` + random; stable across retries. */
  id: string;
  type: WebhookEventName;
  /** ISO 8601 time the event happened. */
  createdAt: string;
  data: WebhookEventData;
}
