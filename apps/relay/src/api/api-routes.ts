import {
  API_ROUTES,
  type ConnectionListResponse,
  type DisconnectResponse,
  type TokenExportResponse,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { listAuditEvents } from "../audit/audit-trail.ts";
import { readMediaPage } from "../cache/connection-reads.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { coordinatedStore, coordinatorFor } from "../lifecycle/connection-coordinator.ts";
import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import { logEvent } from "../log.ts";
import { rateLimit } from "../rate-limit/index.ts";
import {
  connectionListQuerySchema,
  connectionParamsSchema,
  DEFAULT_PAGE_LIMIT,
  mediaQuerySchema,
  pageQuerySchema,
} from "../request-schemas.ts";
import { FailureError, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { listEndUserConnections } from "../sessions/end-user-connections.ts";
import { type ConnectionRecord, isUsable, toConnectionView } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import { cachedRecord, rememberRecord } from "../storage/credential-cache.ts";
import { actionRoutes } from "./action-routes.ts";
import { apiKeyAuth, requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";
import { connectSessionRoutes } from "./connect-session-routes.ts";
import { kvCursorRead, listConnections } from "./connection-list.ts";
import { matchesTags, parseTagFilters } from "./connection-tags.ts";
import { deadLetterRoutes } from "./dead-letter-routes.ts";
import { feedApiRoutes } from "./feed-api-routes.ts";
import { graphPassthrough } from "./graph-route.ts";
import { keyUsage } from "./key-usage.ts";
import { countApiUsage, monitoringRoutes } from "./monitoring-routes.ts";

/**
 * The server-to-server API under `/v1/api` (API.md). Every route: API key (401), then the
 * `api` rate limit keyed by key id (fails closed: it guards a key check, S29), then the route's
 * operation (403), then input validation (400), then the connection (404). No CORS headers
 * are ever sent here (S16): browsers must not call this API.
 */
export const apiRoutes = new Hono<ApiEnv>()
  .use("/v1/api/*", apiKeyAuth)
  // Usage counters and the anomaly check: after the key is proven, before the limit (429s count).
  .use("/v1/api/*", countApiUsage)
  .use(
    "/v1/api/*",
    rateLimit<ApiEnv>({
      family: "api",
      key: (c) => `apikey:${c.get("apiKey").keyId}`,
      failMode: "closed",
      // Reads spend isolate-leased units (bounded overshoot, rate-limit/lease.ts); writes stay exact.
      lease: (c) => c.req.method === "GET" || c.req.method === "HEAD",
    }),
  )
  // Public feed management (feeds:write).
  .route("/", feedApiRoutes)
  .route("/", connectSessionRoutes)
  // Usage and health (monitoring:read; a key's own usage with any operation).
  .route("/", monitoringRoutes)
  .route("/", deadLetterRoutes)
  .get(API_ROUTES.connections, requireOperation("connections:read"), async (c) => {
    const query = validated(connectionListQuerySchema, c.req.query(), "query");
    const tags = parseTagFilters(c.req.queries("tag") ?? []);
    if (query.endUserId !== undefined) {
      const items = await listEndUserConnections(store(c), query.endUserId);
      const page: ConnectionListResponse = {
        items: items.filter((view) => matchesTags(view, tags)),
        unreadable: [],
        nextCursor: null,
      };
      return c.json(page, 200, NO_STORE);
    }
    const page = await listConnections(c.env.CONNECTIONS, store(c), c.get("config").vault.keys, {
      limit: query.limit ?? DEFAULT_PAGE_LIMIT,
      cursor: query.cursor,
    });
    // Filtered per listed page: a page may hold fewer than `limit` items; follow nextCursor to null.
    return c.json({ ...page, items: page.items.filter((view) => matchesTags(view, tags)) }, 200, NO_STORE);
  })
  .get(API_ROUTES.keyUsage, requireOperation("connections:read"), async (c) => {
    const query = validated(pageQuerySchema, c.req.query(), "query");
    const page = await keyUsage(c.env.CONNECTIONS, store(c), c.get("config").vault.keys, {
      limit: query.limit ?? DEFAULT_PAGE_LIMIT,
      cursor: query.cursor,
    });
    return c.json(page, 200, NO_STORE);
  })
  .get(API_ROUTES.connection, requireOperation("connections:read"), async (c) => {
    // A record read in this isolate within 10 s is served without KV (storage/credential-cache.ts;
    // writes through this isolate drop it at once, other isolates' within 10 s, README).
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    let record = cachedRecord(connectionId, now());
    if (!record) {
      record = await connection(c);
      rememberRecord(record, now());
    }
    return c.json({ connection: toConnectionView(record, now(), c.get("config").vault.keys) }, 200, NO_STORE);
  })
  .delete(API_ROUTES.connection, requireOperation("connections:delete"), async (c) => {
    // An unreadable record can be deleted too: removal does not need it to parse.
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    if ((await store(c).read(connectionId)).state === "missing") {
      throw new FailureError({ code: "connection_not_found", reason: "api_lookup" });
    }
    await disconnectConnection(c.env, connectionId, "api_disconnect");
    logEvent("info", "api_disconnect", { keyId: c.get("apiKey").keyId, connectionId });
    const body: DisconnectResponse = { disconnected: true, connectionId };
    return c.json(body, 200, NO_STORE);
  })
  .get(API_ROUTES.connectionMedia, requireOperation("media:read"), async (c) => {
    const query = validated(mediaQuerySchema, c.req.query(), "query");
    const record = await usableConnection(c);
    // The same cached, budget-aware reader as the widget: the stored token never leaves the relay.
    const page = await readMediaPage(
      { env: c.env, config: c.get("config"), record },
      { limit: query.limit ?? DEFAULT_PAGE_LIMIT, after: query.after },
    );
    if (!page.ok) return errorJson(page.failure);
    return c.json(page.value.value, 200, NO_STORE);
  })
  .get(API_ROUTES.connectionAudit, requireOperation("audit:read"), async (c) => {
    const query = validated(pageQuerySchema, c.req.query(), "query");
    // The trail outlives the connection (that is when it matters most): 404 only when both are gone.
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    const page = await kvCursorRead(() =>
      listAuditEvents(c.env, connectionId, {
        limit: query.limit ?? DEFAULT_PAGE_LIMIT,
        cursor: query.cursor,
      }),
    );
    if (page.items.length === 0 && !query.cursor && !(await store(c).get(connectionId))) {
      throw new FailureError({ code: "connection_not_found", reason: "api_audit_lookup" });
    }
    return c.json(page, 200, NO_STORE);
  })
  .get(API_ROUTES.connectionToken, requireOperation("token:read"), async (c) => {
    if (!unwrap(c.get("config").api).tokenExport) {
      logEvent("warn", "api_operation_refused", {
        keyId: c.get("apiKey").keyId,
        operation: "token:read",
        reason: "token_export_disabled",
      });
      throw new FailureError({ code: "forbidden", reason: "token_export_disabled" });
    }
    await usableConnection(c);
    // S27: a token leaves the relay only as its coordinator sees the record, never from a KV
    // copy that may predate a disconnect or refresh made elsewhere.
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    const record = await coordinatorFor(c.env, connectionId).current(connectionId);
    if (!record) throw new FailureError({ code: "connection_not_found", reason: "api_token_gone" });
    if (!isUsable(record, now(), c.get("config").vault.keys)) {
      throw new FailureError({ code: "reauth_required", reason: "api_connection_not_active" });
    }
    const accessToken = unwrap(await store(c).readAccessToken(record));
    logEvent("info", "api_token_exported", {
      keyId: c.get("apiKey").keyId,
      connectionId: record.connectionId,
    });
    const body: TokenExportResponse = {
      connectionId: record.connectionId,
      accessToken,
      expiresAt: record.tokenExpiresAt,
    };
    return c.json(body, 200, { ...NO_STORE, Pragma: "no-cache" });
  })
  .get(API_ROUTES.connectionGraph, requireOperation("graph:read"), async (c) => {
    const record = await usableConnection(c);
    const answer = await graphPassthrough(c, store(c), record);
    if (!answer.ok) return errorJson(answer.failure);
    return new Response(answer.value, {
      status: 200,
      headers: { "Content-Type": "application/json", ...NO_STORE },
    });
  })
  // Publishing, comments, insights (action-routes.ts), behind the same key and rate limit.
  .route("/", actionRoutes);

function store(c: Context<ApiEnv>): ConnectionStore {
  return coordinatedStore(c.env, c.get("config"));
}

/**
 * The path's connection: 400 when the id is malformed, 404 when there is no such connection,
 * 409 `reauth_required` when its record no longer parses (only a new consent or a delete helps).
 */
async function connection(c: Context<ApiEnv>): Promise<ConnectionRecord> {
  const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
  const stored = await store(c).read(connectionId);
  if (stored.state === "missing")
    throw new FailureError({ code: "connection_not_found", reason: "api_lookup" });
  if (stored.state === "unreadable") {
    throw new FailureError({ code: "reauth_required", reason: "api_record_unreadable" });
  }
  return stored.record;
}

/** A connection whose token can still be used (409 `reauth_required` otherwise). */
async function usableConnection(c: Context<ApiEnv>): Promise<ConnectionRecord> {
  const record = await connection(c);
  if (!isUsable(record, now(), c.get("config").vault.keys)) {
    throw new FailureError({ code: "reauth_required", reason: "api_connection_not_active" });
  }
  return record;
}
