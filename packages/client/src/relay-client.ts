import {
  API_ROUTES,
  type AuditTrailResponse,
  type ConnectionListResponse,
  type ConnectionMetadata,
  type ConnectionResponse,
  type ConnectSessionRequest,
  type ConnectSessionResponse,
  type DisconnectResponse,
  ERROR_MESSAGES,
  isRelayError,
  type MediaPage,
  type RelayError,
  routePath,
  type TokenExportResponse,
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

/** Options of `listConnections`: a page of all connections, or every connection of one end user. */
export interface ListConnectionsOptions extends PageOptions {
  endUserId?: string;
}

/** The relay's app API, one typed method per route. */
export interface RelayClient {
  listConnections(options?: ListConnectionsOptions): Promise<RelayResult<ConnectionListResponse>>;
  /** Needs `sessions:write`. Hand `token` to the widget (`sessionToken`); never put it in a URL. */
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
  /** Allowlisted read-only Graph passthrough, e.g. `graph(id, "me/media", { fields: "id,caption" })`. */
  graph<T = Record<string, unknown>>(
    connectionId: string,
    path: string,
    query?: Record<string, string | number>,
  ): Promise<RelayResult<T>>;
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
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const byId = (path: string, connectionId: string) => routePath(path, { connectionId });

  async function call<T>(
    method: "GET" | "DELETE" | "POST" | "PATCH",
    path: string,
    query: Record<string, string | number | undefined> = {},
    body?: unknown,
  ): Promise<RelayResult<T>> {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.apiKey}`,
      Accept: "application/json",
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await doFetch(url.href, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
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
    listConnections: ({ endUserId, ...page } = {}) =>
      endUserId === undefined
        ? call("GET", API_ROUTES.connections, { ...page })
        : call("GET", routePath(API_ROUTES.endUserConnections, { endUserId })),
    createConnectSession: (request) => call("POST", API_ROUTES.connectSessions, {}, request),
    updateMetadata: (id, metadata) => call("PATCH", byId(API_ROUTES.connection, id), {}, { metadata }),
    getConnection: (id) => call("GET", byId(API_ROUTES.connection, id)),
    disconnect: (id) => call("DELETE", byId(API_ROUTES.connection, id)),
    listMedia: (id, page = {}) => call("GET", byId(API_ROUTES.connectionMedia, id), { ...page }),
    listAuditEvents: (id, page = {}) => call("GET", byId(API_ROUTES.connectionAudit, id), { ...page }),
    getAccessToken: (id) => call("GET", byId(API_ROUTES.connectionToken, id)),
    graph: (id, path, query = {}) => {
      const graphBase = byId(API_ROUTES.connectionGraph.replace(/\/\*$/, ""), id);
      const safePath = path.replace(/^\/+/, "").split("/").map(encodeURIComponent).join("/");
      return call("GET", `${graphBase}/${safePath}`, query);
    },
  };
}
