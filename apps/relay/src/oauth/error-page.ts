import type { Context } from "hono";
import type { AppEnv } from "../app-env.ts";
import { errorJson, toErrorResponse } from "../http/errors.ts";
import { escapeHtml, htmlPage } from "../http/html.ts";
import { logEvent } from "../log.ts";
import type { Failure } from "../result.ts";

/**
 * Answers a failure on a top-level browser page (start, callback with a bad state) locally:
 * a small HTML page carrying the code in `data-error-code`, or JSON for
 * `Accept: application/json`. Never a redirect, whatever the input (S4, S5).
 */
export function localErrorPage(
  c: Context<AppEnv>,
  failure: Failure,
  extraHeaders: Record<string, string> = {},
) {
  logEvent("warn", "oauth_request_refused", {
    route: c.req.path,
    code: failure.code,
    reason: failure.reason,
  });
  if ((c.req.header("Accept") ?? "").includes("application/json")) return errorJson(failure, extraHeaders);
  const { status, body } = toErrorResponse(failure);
  return htmlPage(
    {
      title: "Instagram connection",
      body: `<main data-error-code="${escapeHtml(body.error.code)}"><h1>Could not connect Instagram</h1><p>${escapeHtml(body.error.message)}</p><p>You can close this window.</p></main>`,
    },
    status,
    extraHeaders,
  );
}
