import { ROUTES, SESSION_START_FIELD } from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { toRelayError } from "../http/errors.ts";
import { fromRelayPage } from "../http/relay-page-post.ts";
import { logEvent } from "../log.ts";
import { unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { parseSessionToken, sessionStub } from "../sessions/connect-session.ts";
import { verifyAttemptId } from "./attempt-id.ts";
import { redirectBack } from "./callback-page.ts";
import { confirmPage } from "./confirm-page.ts";
import { localErrorPage } from "./error-page.ts";
import { newFlowId, redirectToConsent } from "./flow-state.ts";
import { FLOW_TTL_MS, type FlowRecord } from "./flow-types.ts";
import { attemptStub } from "./oauth-flow.ts";
import { parseStartRequest, type StartRequest } from "./start-params.ts";
import { navigationProvesOrigin } from "./start-proof.ts";

/**
 * `GET /v1/oauth/start` (anonymous connect, when `ANONYMOUS_CONNECT` allows it): validates; when
 * the attempt id is one this relay issued for the challenge (S35) and the navigation proves it came
 * from the claimed site (S30), it seals the flow into the binding cookie and redirects to Instagram
 * (no storage: issue 17 goal 3), otherwise it shows the confirmation page.
 * `POST /v1/oauth/start` is either that page's button (no session field; csrf: relay pages only), or
 * a form posted into the popup by the widget carrying the connect session token in the body (never
 * in a URL, a log line or the browser history); that one is checked against its Origin header, so
 * it needs no confirmation page.
 */
export const startRoute = new Hono<AppEnv>()
  .get(ROUTES.oauthStart, async (c) => {
    const config = c.get("config");
    const parsed = parseStartRequest(config, new URL(c.req.url).searchParams);
    if (!parsed.ok) return localErrorPage(c, parsed.failure);
    if (!unwrap(config.sessions).anonymousConnect) {
      return localErrorPage(c, { code: "invalid_session", reason: "session_required" });
    }
    const attempt = await verifyStartAttempt(c, parsed.value);
    if (!attempt.ok) return localErrorPage(c, attempt.failure);
    if (!navigationProvesOrigin(c.req.raw.headers, parsed.value.origin)) {
      logEvent("info", "oauth_start_needs_confirmation", { origin: parsed.value.origin });
      return confirmPage(parsed.value, config.oauth.authorizeUrl);
    }
    return beginFlow(c, parsed.value, attempt.value.expiresAt, null);
  })
  .post(
    ROUTES.oauthStart,
    bodyLimit({
      maxSize: 8 * 1024,
      onError: (c) => localErrorPage(c, { code: "payload_too_large", reason: "start_form" }),
    }),
    async (c) => {
      const type = c.req.header("Content-Type") ?? "";
      const form = new URLSearchParams(await c.req.text());
      if (!form.has(SESSION_START_FIELD)) return confirmedStart(c, type, form);
      const token = form.get(SESSION_START_FIELD);
      form.delete(SESSION_START_FIELD);
      const parsed = parseStartRequest(c.get("config"), form);
      if (!parsed.ok) return localErrorPage(c, parsed.failure);
      const start = parsed.value;
      // The browser sets Origin on a form post: the page posting must be the origin it claims.
      if (c.req.header("Origin") !== start.origin) {
        return localErrorPage(c, { code: "origin_not_allowed", reason: "form_origin_mismatch" });
      }
      const attempt = await verifyStartAttempt(c, start);
      if (!attempt.ok) return localErrorPage(c, attempt.failure);
      const { expiresAt } = attempt.value;
      const stub = attemptStub(c.env.OAUTH_FLOWS, start.attemptId);
      const secret =
        token === null || form.getAll(SESSION_START_FIELD).length > 0 ? null : await parseSessionToken(token);
      const redeemed = secret
        ? await sessionStub(c.env, secret.sessionId).redeem(secret.secretHash, start, now())
        : ({ ok: false, failure: { code: "invalid_session", reason: "malformed" } } as const);
      if (!redeemed.ok) {
        // Tell the widget too (through its attempt), so its state shows the same typed error.
        await stub.completeAttempt({ ok: false, error: toRelayError(redeemed.failure) }, expiresAt, now());
        // And at once (a verified start: allowlisted origin and returnTo, relay-issued attempt):
        // from the popup, or by sending the tab back to the site, whose widget polls the attempt.
        if (start.mode === "redirect" && start.returnTo) {
          logEvent("warn", "oauth_request_refused", { route: c.req.path, code: redeemed.failure.code });
          return redirectBack(start.returnTo, start.attemptId);
        }
        return localErrorPage(c, redeemed.failure, {}, start.mode === "popup" ? start : undefined);
      }
      const session = redeemed.value;
      // The session's details (metadata up to 4 KB) wait in the attempt's object, not the cookie.
      const attached = await stub.attachSession(
        {
          sessionId: session.sessionId,
          endUserId: session.endUser.id,
          metadata: session.metadata,
          reconnectConnectionId: session.reconnectConnectionId,
        },
        expiresAt,
        now(),
      );
      if (!attached) return localErrorPage(c, { code: "invalid_request", reason: "attempt_id_in_use" });
      return beginFlow(c, start, expiresAt, session.sessionId);
    },
  );

/** The confirmation page's POST continue (anonymous connect). */
async function confirmedStart(c: Context<AppEnv>, type: string, form: URLSearchParams): Promise<Response> {
  if (!(await fromRelayPage(c))) {
    return localErrorPage(c, { code: "invalid_request", reason: "confirm_not_from_relay_page" });
  }
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    return localErrorPage(c, { code: "invalid_request", reason: "confirm_not_a_form" });
  }
  const config = c.get("config");
  const parsed = parseStartRequest(config, form);
  if (!parsed.ok) return localErrorPage(c, parsed.failure);
  if (!unwrap(config.sessions).anonymousConnect) {
    return localErrorPage(c, { code: "invalid_session", reason: "session_required" });
  }
  const attempt = await verifyStartAttempt(c, parsed.value);
  if (!attempt.ok) return localErrorPage(c, attempt.failure);
  logEvent("info", "oauth_start_confirmed", { origin: parsed.value.origin });
  return beginFlow(c, parsed.value, attempt.value.expiresAt, null);
}

/** The start's attempt id must be one this relay issued for this challenge, still live (S35). */
function verifyStartAttempt(c: Context<AppEnv>, start: StartRequest) {
  return verifyAttemptId(c.get("config").vault.keys, start.attemptId, start.challenge, now());
}

/**
 * Seals the flow into its binding cookie and sends the browser to Instagram. No Durable Object
 * is touched: the attempt id was verified by its MAC, and single use is enforced at the callback
 * (issue 17 goal 3; S1, S35).
 */
async function beginFlow(
  c: Context<AppEnv>,
  start: StartRequest,
  attemptExpiresAt: number,
  sessionId: string | null,
): Promise<Response> {
  const config = c.get("config");
  const ring = config.vault.keys;
  const createdAt = now();
  const flowId = newFlowId();
  const flow: FlowRecord = {
    flowId,
    origin: start.origin,
    mode: start.mode,
    attemptId: start.attemptId,
    returnTo: start.returnTo,
    scopes: start.scopes,
    createdAt,
    expiresAt: Math.min(createdAt + FLOW_TTL_MS, attemptExpiresAt),
    sessionId,
  };
  logEvent("info", "oauth_started", {
    flowId: flow.flowId,
    mode: flow.mode,
    origin: flow.origin,
    sessionId,
  });
  // 303 after the session form post, so the popup's history holds a GET to Instagram, never the form.
  return redirectToConsent(ring, config.oauth, flow, {
    status: sessionId ? 303 : 302,
    forceLogin: start.forceLogin,
  });
}
