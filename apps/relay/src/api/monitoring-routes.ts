import {
  API_ROUTES,
  type ApiHealthResponse,
  type HealthAccountBudget,
  type UsageResponse,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { HEALTH_LEDGER_NAME } from "../health/health-ledger.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { UpstreamBudget } from "../instagram/upstream-budget.ts";
import { logEvent } from "../log.ts";
import {
  connectionParamsSchema,
  connectionUsageQuerySchema,
  HEALTH_PAGE_LIMIT,
  healthQuerySchema,
  usageQuerySchema,
} from "../request-schemas.ts";
import { FailureError } from "../result.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";
import { type UsageSubject, usageCounterName } from "../usage/usage-counter.ts";
import { countUsage } from "../usage/usage-recorder.ts";
import { requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";
import { readApiKey } from "./api-key-store.ts";
import { kvCursorRead } from "./connection-list.ts";

const CONNECTION_PATH = /^\/v1\/api\/connections\/(conn_[A-Za-z0-9_-]{22})(?:\/|$)/;

/**
 * Counts every app-API request for its key and, when the path names a connection that exists
 * (not a 404) and is not being deleted by it (counts would outlive the purge), for that
 * connection. Off the response path (usage-recorder.ts).
 */
export const countApiUsage = countUsage<ApiEnv>((c) => {
  const subjects: UsageSubject[] = [{ type: "api_key", id: c.get("apiKey").keyId }];
  const match = CONNECTION_PATH.exec(c.req.path);
  const removal = c.req.method === "DELETE" && match?.[0] === c.req.path;
  if (match?.[1] && c.res.status !== 404 && !removal) subjects.push({ type: "connection", id: match[1] });
  return subjects;
}, "api");

/**
 * Monitoring in the app API (API.md "Monitoring"): usage per key and per connection, and the
 * health report. A key reads its own usage whatever its operations; anything else needs
 * `monitoring:read`.
 */
export const monitoringRoutes = new Hono<ApiEnv>()
  .get(API_ROUTES.usage, async (c) => {
    const query = validated(usageQuerySchema, c.req.query(), "query");
    const own = c.get("apiKey").keyId;
    const keyId = query.keyId ?? own;
    if (keyId !== own) {
      if (!c.get("apiKey").operations.includes("monitoring:read")) {
        logEvent("warn", "api_operation_refused", { keyId: own, operation: "monitoring:read" });
        throw new FailureError({ code: "forbidden", reason: "missing_operation:monitoring:read" });
      }
      if (!(await readApiKey(c.env.CONNECTIONS, keyId))) {
        throw new FailureError({ code: "not_found", reason: "usage_key_not_found" });
      }
    }
    return c.json(await usage(c, { type: "api_key", id: keyId }, query.window), 200, NO_STORE);
  })
  .get(API_ROUTES.connectionUsage, requireOperation("monitoring:read"), async (c) => {
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    const query = validated(connectionUsageQuerySchema, c.req.query(), "query");
    if ((await store(c).read(connectionId)).state === "missing") {
      throw new FailureError({ code: "connection_not_found", reason: "usage_lookup" });
    }
    return c.json(await usage(c, { type: "connection", id: connectionId }, query.window), 200, NO_STORE);
  })
  .get(API_ROUTES.apiHealth, requireOperation("monitoring:read"), async (c) => {
    const query = validated(healthQuerySchema, c.req.query(), "query");
    const limit = query.limit ?? HEALTH_PAGE_LIMIT.default;
    const [ledger, budgets] = await Promise.all([
      c.env.HEALTH_LEDGER.getByName(HEALTH_LEDGER_NAME).summary(limit),
      budgetPage(c, limit, query.cursor),
    ]);
    const body: ApiHealthResponse = { ...ledger, budgets };
    return c.json(body, 200, NO_STORE);
  });

function store(c: Context<ApiEnv>): ConnectionStore {
  return new ConnectionStore(c.env.CONNECTIONS, c.get("config"));
}

async function usage(
  c: Context<ApiEnv>,
  subject: UsageSubject,
  window: "hour" | "day" | undefined,
): Promise<UsageResponse> {
  return c.env.USAGE_COUNTERS.getByName(usageCounterName(subject)).report(subject, window ?? "hour");
}

/**
 * The upstream budget of each account on one page of connections (`conn:` listing, KV's cursor):
 * a list, a read and one RateLimiter call per connection, so the work per call is bounded by
 * `limit` whatever the number of connections. An account whose limiter cannot be reached is
 * left out (logged) rather than failing the report.
 */
async function budgetPage(
  c: Context<ApiEnv>,
  limit: number,
  cursor: string | undefined,
): Promise<ApiHealthResponse["budgets"]> {
  const listed = await kvCursorRead(() =>
    c.env.CONNECTIONS.list({ prefix: KV_PREFIXES.connection, limit, ...(cursor ? { cursor } : {}) }),
  );
  const config = c.get("config");
  const reads = await Promise.all(
    listed.keys.map(async (key): Promise<HealthAccountBudget | null> => {
      const connectionId = key.name.slice(KV_PREFIXES.connection.length);
      try {
        const stored = await store(c).read(connectionId);
        if (stored.state !== "ok") return null;
        const instagramUserId = stored.record.profile.userId;
        const standing = await new UpstreamBudget(c.env, config, instagramUserId).standing();
        const { pausedUntil, ...rest } = standing;
        return {
          connectionId,
          instagramUserId,
          ...rest,
          pausedUntil: pausedUntil === null ? null : new Date(pausedUntil).toISOString(),
        };
      } catch (error) {
        logEvent("warn", "health.budget_unavailable", {
          connectionId,
          error: error instanceof Error ? error.name : typeof error,
        });
        return null;
      }
    }),
  );
  return {
    items: reads.filter((item): item is HealthAccountBudget => item !== null),
    nextCursor: listed.list_complete ? null : listed.cursor,
  };
}
