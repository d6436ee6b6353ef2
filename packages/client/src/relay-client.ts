import {
  API_ROUTES,
  type ApiHealthResponse,
  type AuditTrailResponse,
  type CommentActionResponse,
  type CommentCreatedResponse,
  type CommentPage,
  type ConnectionListResponse,
  type ConnectionMetadata,
  type ConnectionResponse,
  type ConnectSessionRequest,
  type ConnectSessionResponse,
  type CreateFeedRequest,
  type DisconnectResponse,
  ERROR_MESSAGES,
  type FeedDeletedResponse,
  type FeedListResponse,
  type FeedResponse,
  type InsightsResponse,
  isRelayError,
  type KeyUsageResponse,
  type MediaPage,
  type PublishJobResponse,
  type PublishRequest,
  type RelayError,
  routePath,
  type TokenExportResponse,
  type UpdateFeedRequest,
  type UploadResponse,
  type UsageResponse,
  type UsageWindow,
  type WebhookDeadLettersResponse,
  type WebhookReplayResponse,
} from "@instagram-connect/types";

/** A fetch-compatible function (e.g. a Worker service binding's `fetch`). */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Options of `createRelayClient`. */
export interface RelayClientOptions {
  /** The relay's base URL, e.g. `https://relay.example.com`. */
  baseUrl: string;
  /** An API key from `api-key create`. Sent as `Authorization: Bearer`, never in a URL. */
  apiKey: string;
  /** Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
}

/** Outcome of a call: the typed body, or the relay's error as a value (`RelayError`). */
export type RelayResult<T> =
  | { ok: true; status: number; data: T; error?: undefined }
  | { ok: false; status: number; data?: undefined; error: RelayError };

/** Paging of list routes: `cursor` is the previous page's `nextCursor`. */
export interface PageOptions {
  limit?: number;
  cursor?: string;
}

/**
 * Options of `listConnections`: a page of all connections, or every connection of one end user;
 * `tags` keeps only connections whose top-level metadata fields equal every given value.
 */
export interface ListConnectionsOptions extends PageOptions {
  endUserId?: string;
  /** Metadata tags, all required (`{ plan: "pro", seats: 3 }` sends `tag=plan:pro&tag=seats:3`); at most 10. */
  tags?: Record<string, string | number | boolean>;
}

/** The relay's app API, one typed method per route. */
export interface RelayClient {
  listConnections(options?: ListConnectionsOptions): Promise<RelayResult<ConnectionListResponse>>;
  /**
   * Needs `sessions:write`. Hand `token` to the widget (`sessionToken`); never put it in a URL.
   * Or send the end user `connectUrl` (e-mail, a plain link): the relay's hosted consent page.
   */
  createConnectSession(request: ConnectSessionRequest): Promise<RelayResult<ConnectSessionResponse>>;
  /** Needs `connections:write`. Replaces the connection's metadata (at most 4 KB). */
  updateMetadata(
    connectionId: string,
    metadata: ConnectionMetadata | null,
  ): Promise<RelayResult<ConnectionResponse>>;
  getConnection(connectionId: string): Promise<RelayResult<ConnectionResponse>>;
  disconnect(connectionId: string): Promise<RelayResult<DisconnectResponse>>;
  listMedia(connectionId: string, page?: { limit?: number; after?: string }): Promise<RelayResult<MediaPage>>;
  listAuditEvents(connectionId: string, page?: PageOptions): Promise<RelayResult<AuditTrailResponse>>;
  /** Needs `token:read` and the relay's `API_TOKEN_EXPORT=true`. */
  getAccessToken(connectionId: string): Promise<RelayResult<TokenExportResponse>>;
  /** One page of records counted per encryption key id (key rotation: "can I retire kid X?"). */
  getKeyUsage(page?: PageOptions): Promise<RelayResult<KeyUsageResponse>>;
  /**
   * Usage counters (requests, errors per hour or day): the calling key's own by default (any
   * operation), another key's with `keyId` (`monitoring:read`).
   */
  getUsage(options?: { keyId?: string; window?: UsageWindow }): Promise<RelayResult<UsageResponse>>;
  /** One connection's usage: widget and API requests on it (`monitoring:read`). */
  getConnectionUsage(
    connectionId: string,
    options?: { window?: UsageWindow },
  ): Promise<RelayResult<UsageResponse>>;
  /**
   * The relay's health (`monitoring:read`): refresh failures, connections needing reauth,
   * dead-lettered webhooks (exact counts, `limit` entries each) and one page of Instagram budgets.
   */
  getHealth(page?: PageOptions): Promise<RelayResult<ApiHealthResponse>>;
  /** Webhook events of the connection that failed every delivery attempt (`webhooks:manage`). */
  listDeadLetters(connectionId: string): Promise<RelayResult<WebhookDeadLettersResponse>>;
  /** Queues one dead letter again, same event id (`webhooks:manage`). */
  replayDeadLetter(connectionId: string, eventId: string): Promise<RelayResult<WebhookReplayResponse>>;
  /** An API key's webhook events (its `security.anomaly` alerts) that failed every delivery attempt (`webhooks:manage`). */
  listKeyDeadLetters(keyId: string): Promise<RelayResult<WebhookDeadLettersResponse>>;
  /** Queues one of an API key's dead letters again, same event id (`webhooks:manage`). */
  replayKeyDeadLetter(keyId: string, eventId: string): Promise<RelayResult<WebhookReplayResponse>>;
  /** Allowlisted read-only Graph passthrough, e.g. `graph(id, "me/media", { fields: "id,caption" })`. */
  graph<T = Record<string, unknown>>(
    connectionId: string,
    path: string,
    query?: Record<string, string | number>,
  ): Promise<RelayResult<T>>;
  /**
   * Starts a publishing job (`media:publish`). Reuse `idempotencyKey` to retry safely: the same
   * key and body return the same job (status 200), another body is `idempotency_conflict`.
   */
  publish(
    connectionId: string,
    request: PublishRequest,
    idempotencyKey: string,
  ): Promise<RelayResult<PublishJobResponse>>;
  /**
   * Uploads media bytes to publish by `uploadId` (`media:publish`): `image/jpeg` up to 8 MiB,
   * `video/mp4` or `video/quicktime` up to 100 MiB. The relay deletes them when the job ends.
   */
  uploadMedia(
    connectionId: string,
    bytes: ArrayBuffer | Uint8Array<ArrayBuffer> | Blob,
    contentType: "image/jpeg" | "video/mp4" | "video/quicktime",
  ): Promise<RelayResult<UploadResponse>>;
  /** One publishing job (poll it, or wait for the media.published / media.failed webhook). */
  getPublishJob(connectionId: string, jobId: string): Promise<RelayResult<PublishJobResponse>>;
  /** A media's top-level comments, newest first (`comments:read`). */
  listComments(
    connectionId: string,
    mediaId: string,
    page?: CommentPageOptions,
  ): Promise<RelayResult<CommentPage>>;
  /** A comment's replies (`comments:read`). */
  listReplies(
    connectionId: string,
    commentId: string,
    page?: CommentPageOptions,
  ): Promise<RelayResult<CommentPage>>;
  /** Replies to a comment (`comments:write`). */
  replyToComment(
    connectionId: string,
    commentId: string,
    message: string,
  ): Promise<RelayResult<CommentCreatedResponse>>;
  /** Hides or shows a comment (`comments:write`). */
  setCommentHidden(
    connectionId: string,
    commentId: string,
    hidden: boolean,
  ): Promise<RelayResult<CommentActionResponse>>;
  /** Deletes a comment (`comments:write`). */
  deleteComment(connectionId: string, commentId: string): Promise<RelayResult<CommentActionResponse>>;
  /** Turns comments on a media on or off (`comments:write`). */
  setCommentsEnabled(
    connectionId: string,
    mediaId: string,
    enabled: boolean,
  ): Promise<RelayResult<CommentActionResponse>>;
  /** Account insights (`insights:read`); metric names from the relay's allowlist. */
  getInsights(connectionId: string, query: AccountInsightsQuery): Promise<RelayResult<InsightsResponse>>;
  /** One media's insights (`insights:read`). */
  getMediaInsights(
    connectionId: string,
    mediaId: string,
    query: { metrics: string[]; breakdown?: string },
  ): Promise<RelayResult<InsightsResponse>>;
  /** Publishes a public feed of a connection (`feeds:write`); show it with `<InstagramFeed>`. */
  createFeed(input: CreateFeedRequest): Promise<RelayResult<FeedResponse>>;
  listFeeds(page?: PageOptions): Promise<RelayResult<FeedListResponse>>;
  getFeed(feedId: string): Promise<RelayResult<FeedResponse>>;
  updateFeed(feedId: string, input: UpdateFeedRequest): Promise<RelayResult<FeedResponse>>;
  /** Deletes the feed and the relay's copies of its images. */
  deleteFeed(feedId: string): Promise<RelayResult<FeedDeletedResponse>>;
}

/** Paging of comment lists: `limit` 1..50, `after` = the previous page's `nextCursor`. */
export interface CommentPageOptions {
  limit?: number;
  after?: string;
}

/** Query of account insights (Graph's parameters; `since`/`until` in Unix seconds, at most 30 days apart). */
export interface AccountInsightsQuery {
  metrics: string[];
  period?: "day" | "lifetime";
  metricType?: "total_value" | "time_series";
  breakdown?: string;
  timeframe?: "this_week" | "this_month";
  since?: number;
  until?: number;
}

/** The relay's base URL without trailing slashes. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/**
 * One JSON call with a bearer token (the shared core of the app and admin clients): the typed
 * body, or the relay's `RelayError`; a non-contract answer becomes `internal_error`.
 */
export async function relayRequest<T>(
  doFetch: FetchLike,
  request: {
    url: string;
    method: "GET" | "POST" | "DELETE";
    bearer: string;
    query?: Record<string, string | number | undefined>;
    body?: unknown;
  },
): Promise<RelayResult<T>> {
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = {
    Authorization: `Bearer ${request.bearer}`,
    Accept: "application/json",
  };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await doFetch(url.href, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return { ok: true, status: response.status, data: body as T };
  if (isRelayError(body)) return { ok: false, status: response.status, error: body.error };
  return {
    ok: false,
    status: response.status,
    error: { code: "internal_error", message: ERROR_MESSAGES.internal_error },
  };
}

/**
 * A typed client for the relay's `/v1/api` routes. Failures come back as `RelayError` values
 * (`result.ok === false`); only a network failure throws.
 * @example
 * const relay = createRelayClient({ baseUrl: "https://relay.example.com", apiKey: process.env.RELAY_API_KEY });
 * const page = await relay.listConnections({ limit: 50 });
 * if (!page.ok) console.error(page.error.code);
 */
export function createRelayClient(options: RelayClientOptions): RelayClient {
  const base = normalizeBaseUrl(options.baseUrl);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const byId = (path: string, connectionId: string) => routePath(path, { connectionId });

  const byParams = (path: string, params: Record<string, string>) => routePath(path, params);

  async function call<T>(
    method: "GET" | "DELETE" | "POST" | "PATCH",
    path: string,
    query: Record<string, string | number | readonly string[] | undefined> = {},
    payload?: { json?: unknown; raw?: BodyInit; headers?: Record<string, string> },
  ): Promise<RelayResult<T>> {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (typeof value === "object") for (const item of value) url.searchParams.append(name, item);
      else if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.apiKey}`,
      Accept: "application/json",
    };
    const response = await doFetch(url.href, {
      method,
      headers: payload ? { ...headers, "Content-Type": "application/json", ...payload.headers } : headers,
      ...(payload ? { body: payload.raw ?? JSON.stringify(payload.json) } : {}),
    });
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok && answer !== undefined) return { ok: true, status: response.status, data: answer as T };
    if (isRelayError(answer)) return { ok: false, status: response.status, error: answer.error };
    return {
      ok: false,
      status: response.status,
      error: { code: "internal_error", message: ERROR_MESSAGES.internal_error },
    };
  }

  return {
    listConnections: ({ endUserId, tags, ...page } = {}) => {
      const tag = Object.entries(tags ?? {}).map(([key, value]) => `${key}:${value}`);
      if (endUserId !== undefined && tag.length === 0) {
        return call("GET", routePath(API_ROUTES.endUserConnections, { endUserId }));
      }
      return call(
        "GET",
        API_ROUTES.connections,
        endUserId === undefined ? { ...page, tag } : { endUserId, tag },
      );
    },
    createConnectSession: (request) => call("POST", API_ROUTES.connectSessions, {}, { json: request }),
    updateMetadata: (id, metadata) =>
      call("PATCH", byId(API_ROUTES.connection, id), {}, { json: { metadata } }),
    getConnection: (id) => call("GET", byId(API_ROUTES.connection, id)),
    disconnect: (id) => call("DELETE", byId(API_ROUTES.connection, id)),
    listMedia: (id, page = {}) => call("GET", byId(API_ROUTES.connectionMedia, id), { ...page }),
    listAuditEvents: (id, page = {}) => call("GET", byId(API_ROUTES.connectionAudit, id), { ...page }),
    getAccessToken: (id) => call("GET", byId(API_ROUTES.connectionToken, id)),
    getKeyUsage: (page = {}) => call("GET", API_ROUTES.keyUsage, { ...page }),
    getUsage: (options = {}) => call("GET", API_ROUTES.usage, { ...options }),
    getConnectionUsage: (id, options = {}) =>
      call("GET", byId(API_ROUTES.connectionUsage, id), { ...options }),
    getHealth: (page = {}) => call("GET", API_ROUTES.apiHealth, { ...page }),
    listDeadLetters: (id) => call("GET", byId(API_ROUTES.webhookDeadLetters, id)),
    replayDeadLetter: (id, eventId) =>
      call("POST", routePath(API_ROUTES.webhookReplay, { connectionId: id, eventId })),
    listKeyDeadLetters: (keyId) => call("GET", routePath(API_ROUTES.keyWebhookDeadLetters, { keyId })),
    replayKeyDeadLetter: (keyId, eventId) =>
      call("POST", routePath(API_ROUTES.keyWebhookReplay, { keyId, eventId })),
    graph: (id, path, query = {}) => {
      const graphBase = byId(API_ROUTES.connectionGraph.replace(/\/\*$/, ""), id);
      const safePath = path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
      return call("GET", `${graphBase}/${safePath}`, query);
    },
    publish: (id, request, idempotencyKey) =>
      call(
        "POST",
        byId(API_ROUTES.connectionPublish, id),
        {},
        { json: request, headers: { "Idempotency-Key": idempotencyKey } },
      ),
    uploadMedia: (id, bytes, contentType) =>
      call(
        "POST",
        byId(API_ROUTES.connectionUploads, id),
        {},
        { raw: bytes, headers: { "Content-Type": contentType } },
      ),
    getPublishJob: (id, jobId) =>
      call("GET", byParams(API_ROUTES.connectionPublishJob, { connectionId: id, jobId })),
    listComments: (id, mediaId, page = {}) =>
      call("GET", byParams(API_ROUTES.connectionMediaComments, { connectionId: id, mediaId }), { ...page }),
    listReplies: (id, commentId, page = {}) =>
      call("GET", byParams(API_ROUTES.connectionCommentReplies, { connectionId: id, commentId }), {
        ...page,
      }),
    replyToComment: (id, commentId, message) =>
      call(
        "POST",
        byParams(API_ROUTES.connectionCommentReplies, { connectionId: id, commentId }),
        {},
        { json: { message } },
      ),
    setCommentHidden: (id, commentId, hidden) =>
      call(
        "PATCH",
        byParams(API_ROUTES.connectionComment, { connectionId: id, commentId }),
        {},
        { json: { hidden } },
      ),
    deleteComment: (id, commentId) =>
      call("DELETE", byParams(API_ROUTES.connectionComment, { connectionId: id, commentId })),
    setCommentsEnabled: (id, mediaId, enabled) =>
      call(
        "PATCH",
        byParams(API_ROUTES.connectionMediaItem, { connectionId: id, mediaId }),
        {},
        {
          json: { commentsEnabled: enabled },
        },
      ),
    getInsights: (id, { metrics, ...rest }) =>
      call("GET", byId(API_ROUTES.connectionInsights, id), { metrics: metrics.join(","), ...rest }),
    getMediaInsights: (id, mediaId, { metrics, ...rest }) =>
      call("GET", byParams(API_ROUTES.connectionMediaInsights, { connectionId: id, mediaId }), {
        metrics: metrics.join(","),
        ...rest,
      }),
    createFeed: (input) => call("POST", API_ROUTES.feeds, {}, { json: input }),
    listFeeds: (page = {}) => call("GET", API_ROUTES.feeds, { ...page }),
    getFeed: (feedId) => call("GET", routePath(API_ROUTES.feed, { feedId })),
    updateFeed: (feedId, input) => call("PATCH", routePath(API_ROUTES.feed, { feedId }), {}, { json: input }),
    deleteFeed: (feedId) => call("DELETE", routePath(API_ROUTES.feed, { feedId })),
  };
}
