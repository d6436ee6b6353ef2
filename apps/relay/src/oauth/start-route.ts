import { ROUTES } from "@instagram-connect/types";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.ts";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import { confirmPage } from "./confirm-page.ts";
import { localErrorPage } from "./error-page.ts";
import { bindingCookie, newFlowSecrets } from "./flow-state.ts";
import { FLOW_TTL_MS, type FlowRecord } from "./flow-types.ts";
import { attemptStub, flowStub } from "./oauth-flow.ts";
import { parseStartRequest, type StartRequest } from "./start-params.ts";
import { navigationProvesOrigin } from "./start-proof.ts";

// Hono's csrf: the confirmation POST must come from the relay's own page (Origin or
// Sec-Fetch-Site same-origin). Its 403 becomes the usual typed local page.
const relayPagesOnly = csrf();
const confirmCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  try {
    await relayPagesOnly(c, next);
  } catch (error) {
    if (!(error instanceof HTTPException)) throw error;
    return localErrorPage(c, { code: "invalid_request", reason: "confirm_not_from_relay_page" });
  }
};

/**
 * `GET /v1/oauth/start`: validates; when the navigation proves it came from the claimed site
 * (S30) it records the flow and its attempt and redirects to Instagram, otherwise it shows the
 * confirmation page and records nothing. `POST /v1/oauth/start` is that page's button.
 */
export const startRoute = new Hono<AppEnv>()
  .get(ROUTES.oauthStart, async (c) => {
    const parsed = parseStartRequest(c.get("config"), new URL(c.req.url).searchParams);
    if (!parsed.ok) return localErrorPage(c, parsed.failure);
    if (!navigationProvesOrigin(c.req.raw.headers, parsed.value.origin)) {
      logEvent("info", "oauth_start_needs_confirmation", { origin: parsed.value.origin });
      return confirmPage(parsed.value, c.get("config").oauth.authorizeUrl);
    }
    return beginFlow(c, parsed.value);
  })
  .post(ROUTES.oauthStart, confirmCsrf, async (c) => {
    const type = c.req.header("Content-Type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      return localErrorPage(c, { code: "invalid_request", reason: "confirm_not_a_form" });
    }
    const parsed = parseStartRequest(c.get("config"), new URLSearchParams(await c.req.text()));
    if (!parsed.ok) return localErrorPage(c, parsed.failure);
    logEvent("info", "oauth_start_confirmed", { origin: parsed.value.origin });
    return beginFlow(c, parsed.value);
  });

/** Opens the attempt, records the flow, and sends the browser to Instagram with a binding cookie. */
async function beginFlow(c: Context<AppEnv>, start: StartRequest): Promise<Response> {
  const config = c.get("config");
  const createdAt = now();
  const expiresAt = createdAt + FLOW_TTL_MS;
  const secrets = await newFlowSecrets(config.vault.keys);
  const flow: FlowRecord = {
    flowId: secrets.flowId,
    origin: start.origin,
    mode: start.mode,
    attemptId: start.attemptId,
    returnTo: start.returnTo,
    scopes: start.scopes,
    bindingHash: secrets.bindingHash,
    createdAt,
    expiresAt,
  };
  // Both objects at once (one round trip, not two): a flow begun for a refused attempt id is
  // never named to anyone (its state is not sent) and expires unused.
  const [opened] = await Promise.all([
    attemptStub(c.env.OAUTH_FLOWS, start.attemptId).openAttempt(
      { attemptId: start.attemptId, challenge: start.challenge, expiresAt, result: null },
      createdAt,
    ),
    flowStub(c.env.OAUTH_FLOWS, secrets.flowId).begin(flow),
  ]);
  if (!opened) return localErrorPage(c, { code: "invalid_request", reason: "attempt_id_in_use" });

  const authorize = new URL(config.oauth.authorizeUrl);
  authorize.searchParams.set("client_id", config.oauth.clientId);
  authorize.searchParams.set("redirect_uri", config.oauth.redirectUri);
  authorize.searchParams.set("response_type", "code");
  authorize.searchParams.set("scope", start.scopes.join(","));
  authorize.searchParams.set("state", secrets.state);
  if (start.forceLogin) {
    authorize.searchParams.set("force_authentication", "1");
    authorize.searchParams.set("enable_fb_login", "0");
  }
  logEvent("info", "oauth_started", { flowId: flow.flowId, mode: flow.mode, origin: flow.origin });
  return new Response(null, {
    status: 302,
    headers: {
      Location: authorize.href,
      "Set-Cookie": bindingCookie(secrets.flowId, secrets.binding),
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}
