import { type OAuthResult, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.ts";
import type { RelayConfig } from "../config/relay-config.ts";
import { connectAccount } from "../connections/connect-account.ts";
import { toRelayError } from "../http/errors.ts";
import { logEvent } from "../log.ts";
import type { Failure } from "../result.ts";
import { now } from "../runtime.ts";
import { signConnectReceipt } from "../sessions/connect-receipt.ts";
import { hostedResultPage } from "../sessions/hosted-result-page.ts";
import { attemptExpiresAt as attemptExpiresAtOf } from "./attempt-id.ts";
import { callbackPage, redirectBack } from "./callback-page.ts";
import { localErrorPage } from "./error-page.ts";
import { bindingCookieName, clearBindingCookie, openFlow, verifyState } from "./flow-state.ts";
import type { FlowRecord, FlowSession } from "./flow-types.ts";
import { attemptStub } from "./oauth-flow.ts";

/**
 * `GET /v1/oauth/callback`: Instagram sends the browser back here. The state must be authentic,
 * unexpired, unused and presented by the browser that started (S1, S2); otherwise a local error
 * page and nothing else. After a valid state, success and failure alike become an OAuthResult
 * delivered to the site that started the flow (popup page or redirect) and to its attempt.
 */
export const callbackRoute = new Hono<AppEnv>().get(ROUTES.oauthCallback, async (c) => {
  const config = c.get("config");
  const params = new URL(c.req.url).searchParams;
  if (["state", "code", "error"].some((name) => params.getAll(name).length > 1)) {
    return localErrorPage(c, { code: "invalid_request", reason: "repeated_param" });
  }
  const state = params.get("state");
  const denied = params.get("error") !== null;
  if (state === null) {
    return localErrorPage(
      c,
      denied ? { code: "access_denied", reason: "denied_without_state" } : invalidState("missing_state"),
    );
  }
  const ring = config.vault.keys;
  const flowId = await verifyState(ring, state);
  if (!flowId) return localErrorPage(c, invalidState("forged_or_malformed_state"));
  const sealed = getCookie(c, bindingCookieName(flowId));
  if (!sealed) return localErrorPage(c, invalidState("missing_binding_cookie"));
  // A request without the right cookie touches nothing, so it does not burn the state: the real
  // browser may still finish.
  const flow = await openFlow(ring, flowId, sealed);
  if (!flow) return localErrorPage(c, invalidState("binding_mismatch"));
  if (flow.expiresAt <= now()) return localErrorPage(c, invalidState("expired"));
  const attemptExpiresAt = attemptExpiresAtOf(flow.attemptId) ?? 0;
  const attempt = attemptStub(c.env.OAUTH_FLOWS, flow.attemptId);
  // The one Durable Object call before Instagram is asked anything: single use (S1, S2).
  const claimed = await attempt.claim(flowId, flow.sessionId, attemptExpiresAt, now());
  if (!claimed.ok) return localErrorPage(c, claimed.failure);

  const result = await resolveResult(config, c.env, flow, claimed.value, params);
  // A hosted-link flow's attempt has no widget (its challenge has no known verifier): it is
  // claimed for single use, but its result (with the credential) is stored for nobody.
  if (!flow.hosted) await attempt.completeAttempt(result, attemptExpiresAt, now());
  logEvent("info", "oauth_completed", {
    flowId,
    mode: flow.mode,
    ok: result.ok,
    code: result.ok ? null : result.error.code,
  });
  const headers = { "Set-Cookie": clearBindingCookie(flowId) };
  if (flow.hosted) return hostedResultPage(flow.origin, flow.hosted, result, headers);
  if (flow.mode === "popup") return callbackPage(flow.origin, flow.attemptId, result, headers);
  return redirectBack(flow.returnTo ?? "", flow.attemptId, headers);
});

async function resolveResult(
  config: RelayConfig,
  env: Env,
  flow: FlowRecord,
  session: FlowSession | null,
  params: URLSearchParams,
): Promise<OAuthResult> {
  const error = params.get("error");
  if (error !== null) {
    return failed(
      error === "access_denied"
        ? { code: "access_denied", reason: "user_denied" }
        : { code: "code_exchange_failed", reason: "provider_error_redirect" },
    );
  }
  // Instagram appends `#_` to the redirect; it is not part of the code.
  const code = params.get("code")?.replace(/#.*$/, "");
  if (!code) return failed({ code: "invalid_request", reason: "missing_code" });
  const connected = await connectAccount(config, env, code, flow.scopes, {
    origin: flow.origin,
    endUserId: session?.endUserId ?? null,
    sessionId: session?.sessionId ?? null,
    metadata: session?.metadata ?? null,
    reconnectConnectionId: session?.reconnectConnectionId ?? null,
  });
  if (!connected.ok) return failed(connected.failure);
  const { handle, connection } = connected.value;
  // A hosted-link flow's result goes to nobody (its page shows no credential), so it gets no receipt.
  const receipt =
    config.sessions.ok && !flow.hosted
      ? await signConnectReceipt(
          config.sessions.value,
          {
            iss: new URL(config.oauth.redirectUri).origin,
            sub: handle.connectionId,
            endUserId: session?.endUserId ?? null,
            instagramUserId: connection.profile.userId,
            origin: flow.origin,
          },
          now(),
        )
      : null;
  return receipt ? { ok: true, handle, connection, receipt } : { ok: true, handle, connection };
}

function failed(failure: Failure): OAuthResult {
  logEvent("warn", "oauth_failed", { code: failure.code, reason: failure.reason });
  return { ok: false, error: toRelayError(failure) };
}

function invalidState(reason: string): Failure {
  return { code: "invalid_state", reason };
}
