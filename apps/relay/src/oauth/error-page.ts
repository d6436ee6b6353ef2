import { RATE_LIMIT_HEADERS, type RelayError } from "@instagram-connect/types";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { errorJson, toErrorResponse } from "../http/errors.ts";
import { escapeHtml, htmlPage } from "../http/html.ts";
import { logEvent } from "../log.ts";
import type { Failure } from "../result.ts";
import { resultScript } from "./callback-page.ts";
import { parseStartRequest } from "./start-params.ts";

/**
 * The page a popup lands on when the relay refuses it: the code in `data-error-code` and, given
 * `to` (a validated popup start: allowlisted origin, well-formed attempt), a script that hands
 * the typed error back to the widget like the callback page does (S10: to that exact origin).
 */
function refusalPage(
  error: RelayError,
  status: number,
  headers: Record<string, string>,
  to?: { origin: string; attemptId: string },
) {
  return htmlPage(
    {
      title: "Instagram connection",
      body: `<main data-error-code="${escapeHtml(error.code)}"><h1>Could not connect Instagram</h1><p>${escapeHtml(error.message)}</p><p id="ic-close"${to ? " hidden" : ""}>You can close this window.</p></main>`,
      ...(to ? { script: resultScript(to.origin, to.attemptId, { ok: false, error }) } : {}),
    },
    status,
    headers,
  );
}

/**
 * For pages a popup navigates to (`/v1/oauth/start`): a JSON refusal from the middleware after
 * this one (the rate limit) becomes the HTML refusal page when a browser asked for HTML, so the
 * visitor sees a page, not raw JSON, and the widget gets the typed error (with `retryAfter`).
 */
export const htmlRefusals: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const { res } = c;
  if (res.ok || !(c.req.header("Accept") ?? "").includes("text/html")) return;
  if (!(res.headers.get("Content-Type") ?? "").includes("application/json")) return;
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as { error?: RelayError } | null;
  const error = body?.error;
  if (!error?.code) return;
  const keep: Record<string, string> = {};
  for (const name of [RATE_LIMIT_HEADERS.retryAfter, RATE_LIMIT_HEADERS.policy, RATE_LIMIT_HEADERS.state]) {
    const value = res.headers.get(name);
    if (value) keep[name] = value;
  }
  // Only a start that would have been accepted (S4) gets the error posted back.
  const start = parseStartRequest(c.get("config"), new URL(c.req.url).searchParams);
  const to = start.ok && start.value.mode === "popup" ? start.value : undefined;
  // Unset first: Hono copies the old response's headers (JSON's) onto a replacement otherwise.
  c.res = undefined as unknown as Response;
  c.res = refusalPage(error, res.status, keep, to);
};

/**
 * Answers a failure on a top-level browser page (start, callback with a bad state) locally:
 * a small HTML page carrying the code in `data-error-code`, or JSON for
 * `Accept: application/json`. Never a redirect, whatever the input (S4, S5). It posts nothing
 * unless given `to`, a start that passed validation (S4: allowlisted origin, relay-issued
 * attempt); otherwise the widget learns of the failure once the popup is closed.
 */
export function localErrorPage(
  c: Context<AppEnv>,
  failure: Failure,
  extraHeaders: Record<string, string> = {},
  to?: { origin: string; attemptId: string },
) {
  logEvent("warn", "oauth_request_refused", {
    route: c.req.path,
    code: failure.code,
    reason: failure.reason,
  });
  if ((c.req.header("Accept") ?? "").includes("application/json")) return errorJson(failure, extraHeaders);
  const { status, body } = toErrorResponse(failure);
  return refusalPage(body.error, status, extraHeaders, to);
}
