import {
  API_ROUTES,
  type AuditTrailResponse,
  type ConnectionListResponse,
  type ConnectionResponse,
  type DisconnectResponse,
  ERROR_MESSAGES,
  isRelayError,
  type KeyUsageResponse,
  type MediaPage,
  type RelayError,
  routePath,
  type TokenExportResponse,
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

/** The relay's app API, one typed method per route. */
export interface RelayClient {
  listConnections(page?: PageOptions): Promise<RelayResult<ConnectionListResponse>>;
  getConnection(connectionId: string): Promise<RelayResult<ConnectionResponse>>;
  disconnect(connectionId: string): Promise<RelayResult<DisconnectResponse>>;
  listMedia(connectionId: string, page?: { limit?: number; after?: string }): Promise<RelayResult<MediaPage>>;
  listAuditEvents(connectionId: string, page?: PageOptions): Promise<RelayResult<AuditTrailResponse>>;
  /** Needs `token:read` and the relay's `API_TOKEN_EXPORT=true`. */
  getAccessToken(connectionId: string): Promise<RelayResult<TokenExportResponse>>;
  /** One page of records counted per encryption key id (key rotation: "can I retire kid X?"). */
  getKeyUsage(page?: PageOptions): Promise<RelayResult<KeyUsageResponse>>;
  /** Webhook events of the connection that failed every delivery attempt (`webhooks:manage`). */
  listDeadLetters(connectionId: string): Promise<RelayResult<WebhookDeadLettersResponse>>;
  /** Queues one dead letter again, same event id (`webhooks:manage`). */
  replayDeadLetter(connectionId: string, eventId: string): Promise<RelayResult<WebhookReplayResponse>>;
  /** Allowlisted read-only Graph passthrough, e.g. `graph(id, "me/media", { fields: "id,caption" })`. */
  graph<T = Record<string, unknown>>(
    connectionId: string,
    path: string,
    query?: Record<string, string | number>,
  ): Promise<RelayResult<T>>;
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

  const call = <T>(
    method: "GET" | "DELETE" | "POST",
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<RelayResult<T>> =>
    relayRequest<T>(doFetch, { url: `${base}${path}`, method, bearer: options.apiKey, query });

  return {
    listConnections: (page = {}) => call("GET", API_ROUTES.connections, { ...page }),
    getConnection: (id) => call("GET", byId(API_ROUTES.connection, id)),
    disconnect: (id) => call("DELETE", byId(API_ROUTES.connection, id)),
    listMedia: (id, page = {}) => call("GET", byId(API_ROUTES.connectionMedia, id), { ...page }),
    listAuditEvents: (id, page = {}) => call("GET", byId(API_ROUTES.connectionAudit, id), { ...page }),
    getAccessToken: (id) => call("GET", byId(API_ROUTES.connectionToken, id)),
    getKeyUsage: (page = {}) => call("GET", API_ROUTES.keyUsage, { ...page }),
    listDeadLetters: (id) => call("GET", byId(API_ROUTES.webhookDeadLetters, id)),
    replayDeadLetter: (id, eventId) =>
      call("POST", routePath(API_ROUTES.webhookReplay, { connectionId: id, eventId })),
    graph: (id, path, query = {}) => {
      const graphBase = byId(API_ROUTES.connectionGraph.replace(/\/\*$/, ""), id);
      const safePath = path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
      return call("GET", `${graphBase}/${safePath}`, query);
    },
  };
}
