import type { Context } from "hono";
import { upstreamBudget } from "../cache/connection-reads.ts";
import { validated } from "../http/validate.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { watchTokenRefusal } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import { graphQuerySchema } from "../request-schemas.ts";
import { FailureError, fail, ok, type Result } from "../result.ts";
import type { ConnectionRecord } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import type { ApiEnv } from "./api-env.ts";
import { isGraphRequestAllowed } from "./graph-allowlist.ts";

const GRAPH_PARAMS = new Set(["fields", "limit", "after", "before"]);

/**
 * `GET /v1/api/connections/:id/graph/<path>`: forwards an allowlisted, read-only Graph request
 * with the connection's stored token and returns Graph's JSON. Graph's `paging.next/previous`
 * URLs are removed (they repeat the token); page with `after`/`before` cursors instead. If the
 * token shows up anywhere else in the answer, the answer is refused rather than leaked. Each
 * call spends the account's upstream budget (not cached: callers pick arbitrary fields). Invalid
 * input throws `invalid_request`/`graph_path_not_allowed` like every validated route; upstream
 * outcomes are returned as a Result with Graph's JSON text.
 */
export async function graphPassthrough(
  c: Context<ApiEnv>,
  store: ConnectionStore,
  record: ConnectionRecord,
): Promise<Result<string>> {
  const pathname = new URL(c.req.url).pathname;
  const path = pathname.slice(pathname.indexOf("/graph/") + "/graph/".length);
  const raw = c.req.queries();
  if (Object.values(raw).some((values) => values.length > 1)) {
    throw new FailureError({ code: "invalid_request", reason: "graph:repeated_param" });
  }
  const query = validated(graphQuerySchema, c.req.query(), "query");
  const extra = Object.keys(raw).find((name) => !GRAPH_PARAMS.has(name));
  if (extra !== undefined || !isGraphRequestAllowed(path, query)) {
    logEvent("warn", "graph_path_refused", { keyId: c.get("apiKey").keyId, path: path.slice(0, 64) });
    throw new FailureError({ code: "graph_path_not_allowed", reason: extra ? "param" : "path_or_fields" });
  }
  const upstream: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) upstream[name] = String(value);
  const config = c.get("config");
  const budget = upstreamBudget({ env: c.env, config, record });
  const allowed = await budget.acquire();
  if (!allowed.ok) return allowed;
  const accessToken = await store.readAccessToken(record);
  if (!accessToken.ok) return accessToken;
  const instagram = new InstagramClient(config, {
    onResponse: watchTokenRefusal(c.env, record, budget.observe),
  });
  const answer = await instagram.getGraph(path, upstream, accessToken.value);
  if (!answer.ok) return answer;
  const text = JSON.stringify(withoutPagingUrls(answer.value));
  if (text.includes(accessToken.value)) return fail({ code: "upstream_error", reason: "graph:token_echoed" });
  return ok(text);
}

function withoutPagingUrls(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !("paging" in body)) return body;
  const { paging } = body;
  if (typeof paging !== "object" || paging === null) return body;
  const { next: _next, previous: _previous, ...rest } = paging as Record<string, unknown>;
  return { ...body, paging: rest };
}
