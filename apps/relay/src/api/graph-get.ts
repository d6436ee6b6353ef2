import type { RelayConfig } from "../config.ts";
import { type Failure, fail, ok, type Result } from "../http/failure.ts";
import { classifyUpstreamError } from "../instagram/graph-error.ts";
import { parseJsonKeepingIds } from "../instagram/raw-json.ts";
import type { UpstreamReport } from "../instagram/upstream-budget.ts";
import { upstreamFetch } from "../instagram/upstream-fetch.ts";
import { readUsageHeaders } from "../instagram/usage-headers.ts";

/**
 * One versioned Graph GET with a connection's token, for the API's media and passthrough
 * routes. Same failure classes as the consent flow's client: timeout or network, Graph error
 * body (classified by code, never by status), malformed body. Ids keep their exact digits.
 * The token travels only in the upstream URL; failure reasons never include the URL.
 * `onResponse` sees usage headers and the outcome (the account's upstream budget observes it).
 */
export async function graphGet(
  config: RelayConfig,
  path: string,
  query: Record<string, string>,
  accessToken: string,
  onResponse?: (report: UpstreamReport) => Promise<void>,
): Promise<Result<unknown>> {
  const params = new URLSearchParams(query);
  params.set("access_token", accessToken);
  const url = `${config.graphBase}/${config.graphVersion}/${path}?${params}`;
  let status: number;
  let text: string;
  let headers: Headers;
  try {
    const response = await upstreamFetch(url, {
      method: "GET",
      signal: AbortSignal.timeout(config.upstreamTimeoutMs),
    });
    status = response.status;
    headers = response.headers;
    text = await response.text();
  } catch (error) {
    return fail({
      code: "upstream_timeout",
      reason: `graph:network:${error instanceof Error ? error.name : "unknown"}`,
    });
  }
  const body = parseJsonKeepingIds(text);
  const hasError = typeof body === "object" && body !== null && "error" in body;
  const failure: Failure | null =
    status < 200 || status >= 300 || hasError
      ? classifyUpstreamError("graph", status, body)
      : body === undefined
        ? { code: "upstream_error", reason: "graph:not_json" }
        : null;
  await onResponse?.({ usage: readUsageHeaders(headers), failure });
  return failure ? fail(failure) : ok(body);
}
