import { type OAuthResult, RETURN_ATTEMPT_PARAM, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.ts";
import type { RelayConfig } from "../config/relay-config.ts";
import { connectAccount } from "../connections/connect-account.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { toRelayError } from "../http/errors.ts";
import { logEvent } from "../log.ts";
import type { Failure } from "../result.ts";
import { now } from "../runtime.ts";
import { signConnectReceipt } from "../sessions/connect-receipt.ts";
import { hostedResultPage } from "../sessions/hosted-result-page.ts";
import { callbackPage } from "./callback-page.ts";
import { localErrorPage } from "./error-page.ts";
import { bindingCookieName, clearBindingCookie, verifyState } from "./flow-state.ts";
import type { FlowRecord } from "./flow-types.ts";
import { attemptStub, flowStub } from "./oauth-flow.ts";

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
  const flowId = await verifyState(config.vault.keys, state);
  if (!flowId) return localErrorPage(c, invalidState("forged_or_malformed_state"));
  const binding = getCookie(c, bindingCookieName(flowId));
  if (!binding) return localErrorPage(c, invalidState("missing_binding_cookie"));
  const consumed = await flowStub(c.env.OAUTH_FLOWS, flowId).consume(await sha256Base64Url(binding), now());
  if (!consumed.ok) return localErrorPage(c, consumed.failure);

  const flow = consumed.value;
  const result = await resolveResult(config, c.env, flow, params);
  // A hosted-link flow has no attempt: its result (with the credential) is stored for nobody.
  if (!flow.hosted) await attemptStub(c.env.OAUTH_FLOWS, flow.attemptId).completeAttempt(result, now());
  logEvent("info", "oauth_completed", {
    flowId,
    mode: flow.mode,
    ok: result.ok,
    code: result.ok ? null : result.error.code,
  });
  const headers = { "Set-Cookie": clearBindingCookie(flowId) };
  if (flow.hosted) return hostedResultPage(flow.origin, flow.hosted, result, headers);
  if (flow.mode === "popup") return callbackPage(flow.origin, flow.attemptId, result, headers);
  return redirectBack(flow, headers);
});

async function resolveResult(
  config: RelayConfig,
  env: Env,
  flow: FlowRecord,
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
    endUserId: flow.session?.endUserId ?? null,
    sessionId: flow.session?.sessionId ?? null,
    metadata: flow.session?.metadata ?? null,
    reconnectConnectionId: flow.session?.reconnectConnectionId ?? null,
  });
  if (!connected.ok) return failed(connected.failure);
  const { handle, connection } = connected.value;
  const receipt = config.sessions.ok
    ? await signConnectReceipt(
        config.sessions.value,
        {
          iss: new URL(config.oauth.redirectUri).origin,
          sub: handle.connectionId,
          endUserId: flow.session?.endUserId ?? null,
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

/** Redirect mode: back to the exact allowlisted returnTo with only the attempt id (S5, S6). */
function redirectBack(flow: FlowRecord, headers: Record<string, string>): Response {
  const target = new URL(flow.returnTo ?? "");
  target.searchParams.set(RETURN_ATTEMPT_PARAM, flow.attemptId);
  return new Response(null, {
    status: 303,
    headers: {
      ...headers,
      Location: target.href,
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
    },
  });
}

function invalidState(reason: string): Failure {
  return { code: "invalid_state", reason };
}
