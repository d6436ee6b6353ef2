import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import { localErrorPage } from "./error-page.ts";
import { bindingCookie, newFlowSecrets } from "./flow-state.ts";
import { FLOW_TTL_MS, type FlowRecord } from "./flow-types.ts";
import { attemptStub, flowStub } from "./oauth-flow.ts";
import { parseStartRequest } from "./start-params.ts";

/** `GET /v1/oauth/start`: validates, records the flow and its attempt, redirects to Instagram. */
export const startRoute = new Hono<AppEnv>().get(ROUTES.oauthStart, async (c) => {
  const config = c.get("config");
  const parsed = parseStartRequest(config, new URL(c.req.url));
  if (!parsed.ok) return localErrorPage(c, parsed.failure);
  const start = parsed.value;

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
});
