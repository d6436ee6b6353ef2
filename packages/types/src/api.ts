import type { InstagramWebhookChange, OwnerFields, PublishJob } from "./actions.ts";
import type { ConnectionView } from "./connection.ts";
import type { AuditEvent, WebhookEventName } from "./events.ts";
import type { SecurityAnomaly } from "./monitoring.ts";
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
  "webhooks:manage",
  "media:publish",
  "comments:read",
  "comments:write",
  "insights:read",
  "feeds:write",
  "monitoring:read",
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
  /** Records per key id for every sealed or hashed field: "can I retire key X now?" (API.md). */
  keyUsage: "/v1/api/key-usage",
  /** Webhook events of the connection that exhausted their delivery attempts. */
  webhookDeadLetters: "/v1/api/connections/:connectionId/webhooks/dead-letters",
  /** Queues one dead letter again (same event id). */
  webhookReplay: "/v1/api/connections/:connectionId/webhooks/dead-letters/:eventId/replay",
  /** An API key's webhook events (its `security.anomaly` alerts) that exhausted their delivery attempts. */
  keyWebhookDeadLetters: "/v1/api/keys/:keyId/webhooks/dead-letters",
  /** Queues one of an API key's dead letters again (same event id). */
  keyWebhookReplay: "/v1/api/keys/:keyId/webhooks/dead-letters/:eventId/replay",
  /** POST a publishing job (`Idempotency-Key` header required). */
  connectionPublish: "/v1/api/connections/:connectionId/publish",
  /** POST media bytes for a later publish (raw body, `Content-Type` image/jpeg, video/mp4, video/quicktime). */
  connectionUploads: "/v1/api/connections/:connectionId/uploads",
  /** GET one publishing job. */
  connectionPublishJob: "/v1/api/connections/:connectionId/publish/:jobId",
  /** PATCH `{ commentsEnabled }` on one of the account's media. */
  connectionMediaItem: "/v1/api/connections/:connectionId/media/:mediaId",
  /** GET a media's top-level comments (paged). */
  connectionMediaComments: "/v1/api/connections/:connectionId/media/:mediaId/comments",
  /** PATCH `{ hidden }` or DELETE one comment. */
  connectionComment: "/v1/api/connections/:connectionId/comments/:commentId",
  /** GET a comment's replies (paged) or POST `{ message }` to reply. */
  connectionCommentReplies: "/v1/api/connections/:connectionId/comments/:commentId/replies",
  /** GET account insights (`metrics` from the allowlist). */
  connectionInsights: "/v1/api/connections/:connectionId/insights",
  /** GET one media's insights. */
  connectionMediaInsights: "/v1/api/connections/:connectionId/media/:mediaId/insights",
  /** Public feeds of a connection (`feeds:write`): create and list. */
  feeds: "/v1/api/feeds",
  /** One public feed (`feeds:write`): read, change, delete. */
  feed: "/v1/api/feeds/:feedId",
  /** The calling key's usage (`?keyId=` another key's, with `monitoring:read`); `?window=hour|day`. */
  usage: "/v1/api/usage",
  /** One connection's usage (widget and API requests on it). */
  connectionUsage: "/v1/api/connections/:connectionId/usage",
  /** Refresh failures, reauth, dead letters, Instagram budgets (`monitoring:read`). */
  apiHealth: "/v1/api/health",
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
  "GET /v1/api/key-usage": "connections:read",
  "GET /v1/api/connections/:connectionId/webhooks/dead-letters": "webhooks:manage",
  "POST /v1/api/connections/:connectionId/webhooks/dead-letters/:eventId/replay": "webhooks:manage",
  "GET /v1/api/keys/:keyId/webhooks/dead-letters": "webhooks:manage",
  "POST /v1/api/keys/:keyId/webhooks/dead-letters/:eventId/replay": "webhooks:manage",
  "POST /v1/api/connections/:connectionId/publish": "media:publish",
  "GET /v1/api/connections/:connectionId/publish/:jobId": "media:publish",
  "POST /v1/api/connections/:connectionId/uploads": "media:publish",
  "PATCH /v1/api/connections/:connectionId/media/:mediaId": "comments:write",
  "GET /v1/api/connections/:connectionId/media/:mediaId/comments": "comments:read",
  "PATCH /v1/api/connections/:connectionId/comments/:commentId": "comments:write",
  "DELETE /v1/api/connections/:connectionId/comments/:commentId": "comments:write",
  "GET /v1/api/connections/:connectionId/comments/:commentId/replies": "comments:read",
  "POST /v1/api/connections/:connectionId/comments/:commentId/replies": "comments:write",
  "GET /v1/api/connections/:connectionId/insights": "insights:read",
  "GET /v1/api/connections/:connectionId/media/:mediaId/insights": "insights:read",
  "GET /v1/api/feeds": "feeds:write",
  "POST /v1/api/feeds": "feeds:write",
  "GET /v1/api/feeds/:feedId": "feeds:write",
  "PATCH /v1/api/feeds/:feedId": "feeds:write",
  "DELETE /v1/api/feeds/:feedId": "feeds:write",
  // A key reads its own usage with any operation; another key's needs monitoring:read (API.md).
  "GET /v1/api/usage": "monitoring:read",
  "GET /v1/api/connections/:connectionId/usage": "monitoring:read",
  "GET /v1/api/health": "monitoring:read",
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
  /**
   * Ids of connections on this page whose stored record could not be read (corrupt data):
   * treat them as `reauth_required`; `DELETE` removes them. Empty when all parsed.
   */
  unreadable: string[];
  nextCursor: string | null;
}

/**
 * Response of `GET /v1/api/key-usage`: one page of connection records counted per key id
 * (`TOKEN_ENCRYPTION_KEYS` kid) for each sealed or hashed field. A key can be retired once
 * no page of a full pass (follow `nextCursor` to null) counts it in any field.
 */
export interface KeyUsageResponse {
  /** The relay's key ids, newest (the one that seals and hashes) first. */
  keys: string[];
  /** Per field, how many records on this page use each kid. */
  fields: { accessToken: Record<string, number>; credentialHash: Record<string, number> };
  /** Records on this page that could not be read (not counted; delete or reconnect them). */
  unreadable: number;
  /** Records on this page. */
  scanned: number;
  nextCursor: string | null;
}

/** One webhook event that failed every delivery attempt (kept until replayed or the connection's data is deleted). */
export interface WebhookDeadLetter {
  event: WebhookEvent;
  failures: number;
  /** The last attempt's failure: `http_<status>` or `network:<error name>`. */
  lastReason: string;
  deadAt: string;
}

/** Response of `GET /v1/api/connections/:connectionId/webhooks/dead-letters`, oldest first. */
export interface WebhookDeadLettersResponse {
  items: WebhookDeadLetter[];
}

/** Response of `POST .../dead-letters/:eventId/replay`: the event is queued again, same id. */
export interface WebhookReplayResponse {
  replayed: true;
  eventId: string;
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
  /** The connection; absent only on a `security.anomaly` about an API key (see `anomaly.subject`). */
  connectionId?: string;
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
  /** media.published / media.failed: the publishing job. */
  job?: PublishJob;
  /** instagram.comment: what Instagram's webhook said (comment id, text, from, media, parent). */
  instagram?: InstagramWebhookChange;
  /** instagram.*: the connection's owner fields (end user), when the connection record has them. */
  owner?: OwnerFields;
  /** security.anomaly: what was seen, about which key or connection. */
  anomaly?: SecurityAnomaly;
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
