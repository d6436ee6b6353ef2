import { BASIC_SCOPE, type InstagramScope, ROUTES } from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env.ts";
import { randomToken } from "../crypto/base64url.ts";
import { fromRelayPage } from "../http/relay-page-post.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import { issueAttemptId } from "../oauth/attempt-id.ts";
import { htmlRefusals } from "../oauth/error-page.ts";
import { newFlowId, redirectToConsent } from "../oauth/flow-state.ts";
import { FLOW_TTL_MS, type FlowRecord } from "../oauth/flow-types.ts";
import { attemptStub } from "../oauth/oauth-flow.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import { type Failure, fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { parseLinkToken, type SessionRecord, sessionStub } from "../sessions/connect-session.ts";
import { linkPage, linkRefusedPage } from "./link-page.ts";

/** The consent a hosted link runs: for which site, with which scopes, reconnecting which account. */
interface HostedConsent {
  site: string;
  scopes: InstagramScope[];
  reconnectUsername: string | null;
}

/**
 * The hosted connect link (`connectUrl` of a connect session): `GET /v1/connect/icl_<id>.<secret>`
 * shows a page naming the site and spends nothing; its button POSTs to the same URL, which spends
 * the session (once, atomically in its Durable Object) and sends the browser to Instagram with the
 * flow's `__Host-` binding cookie. The callback then ends on the relay's result page (no pollable
 * attempt, no postMessage, no credential). Per-IP `oauth` rate limit, failing closed, like the consent flow.
 */
export const hostedLinkRoutes = new Hono<AppEnv>()
  .use(ROUTES.connectLink, htmlRefusals, rateLimit<AppEnv>({ family: "oauth", key: clientIpKey }))
  .get(ROUTES.connectLink, async (c) => {
    const session = await findSession(c, "inspect");
    if (!session.ok) return refused(session.failure);
    const consent = await hostedConsent(c, session.value);
    return linkPage({
      site: consent.site,
      displayName: session.value.endUser.displayName ?? null,
      reconnectUsername: consent.reconnectUsername,
      authorizeOrigin: new URL(c.get("config").oauth.authorizeUrl).origin,
    });
  })
  .post(
    ROUTES.connectLink,
    bodyLimit({ maxSize: 1024, onError: () => refused({ code: "payload_too_large", reason: "link_form" }) }),
    async (c) => {
      // Only the link's own page (a form, same origin) may continue, never another site for a
      // visitor holding the link.
      const form = (c.req.header("Content-Type") ?? "").startsWith("application/x-www-form-urlencoded");
      if (!form || !(await fromRelayPage(c)))
        return refused({ code: "invalid_request", reason: "link_post_not_from_page" });
      const session = await findSession(c, "redeem");
      if (!session.ok) return refused(session.failure);
      return beginHostedFlow(c, session.value, await hostedConsent(c, session.value));
    },
  );

/** The link's session: read-only for the page, spent (once) for the button. */
async function findSession(c: Context<AppEnv>, use: "inspect" | "redeem"): Promise<Result<SessionRecord>> {
  const parsed = await parseLinkToken(c.req.param("link") ?? "");
  if (!parsed) return fail({ code: "invalid_session", reason: "malformed_link" });
  const stub = sessionStub(c.env, parsed.sessionId);
  const found =
    use === "inspect"
      ? await stub.inspectLink(parsed.linkSecretHash, now())
      : await stub.redeemLink(parsed.linkSecretHash, now());
  if (found.ok) logEvent("info", `connect_link_${use}`, { sessionId: parsed.sessionId });
  return found.ok ? ok(found.value) : fail(found.failure);
}

/**
 * The site the link is for (the session's `returnUrl`, else its first allowed origin, else the
 * relay's), the scopes to ask for (the session's `allowedScopes`, else the reconnected
 * connection's, else basic) and, for a reconnect, the account's username.
 */
async function hostedConsent(c: Context<AppEnv>, session: SessionRecord): Promise<HostedConsent> {
  const { oauth } = c.get("config");
  const site =
    (session.returnUrl ? new URL(session.returnUrl).origin : undefined) ??
    session.allowedOrigins?.[0] ??
    oauth.allowedOrigins[0] ??
    new URL(oauth.redirectUri).origin;
  const stored = session.reconnectConnectionId
    ? await coordinatedStore(c.env, c.get("config")).get(session.reconnectConnectionId)
    : null;
  // Checked when the session was made; checked again so a page never names another user's account.
  const target = stored?.endUserId === session.endUser.id ? stored : null;
  const wanted = session.allowedScopes ?? target?.scopes ?? [BASIC_SCOPE];
  const scopes = [
    BASIC_SCOPE,
    ...wanted.filter((scope) => scope !== BASIC_SCOPE && oauth.allowedScopes.includes(scope)),
  ];
  return { site, scopes, reconnectUsername: target?.profile.username ?? null };
}

/**
 * Starts the flow the way a session start does (oauth/start-route.ts): a relay-issued attempt id
 * (S35) whose object holds the session's details (so the callback's single `claim` works), and
 * the flow sealed into its `__Host-` binding cookie, marked `hosted`. The attempt's challenge is
 * random and its verifier never exists, so nobody can poll it: the result is shown, never stored.
 */
async function beginHostedFlow(
  c: Context<AppEnv>,
  session: SessionRecord,
  consent: HostedConsent,
): Promise<Response> {
  const config = c.get("config");
  const ring = config.vault.keys;
  const createdAt = now();
  const issued = await issueAttemptId(ring, randomToken(32), createdAt);
  const attached = await attemptStub(c.env.OAUTH_FLOWS, issued.attemptId).attachSession(
    {
      sessionId: session.sessionId,
      endUserId: session.endUser.id,
      metadata: session.metadata,
      reconnectConnectionId: session.reconnectConnectionId,
    },
    issued.expiresAt,
    createdAt,
  );
  // A fresh id's object is empty; refusing keeps the claim's rules whole should it ever not be.
  if (!attached) return refused({ code: "invalid_request", reason: "attempt_id_in_use" });
  const flow: FlowRecord = {
    flowId: newFlowId(),
    origin: consent.site,
    // Redirect mode without a returnTo: should the callback ever miss `hosted`, it fails closed.
    mode: "redirect",
    attemptId: issued.attemptId,
    returnTo: null,
    scopes: consent.scopes,
    createdAt,
    expiresAt: Math.min(createdAt + FLOW_TTL_MS, issued.expiresAt),
    sessionId: session.sessionId,
    hosted: { returnUrl: session.returnUrl ?? null },
  };
  logEvent("info", "oauth_started", {
    flowId: flow.flowId,
    mode: "hosted",
    origin: flow.origin,
    sessionId: session.sessionId,
  });
  // 303 after the POST, so the history holds a GET to Instagram, never the form.
  return redirectToConsent(ring, config.oauth, flow, { status: 303 });
}

function refused(failure: Failure): Response {
  logEvent("warn", "connect_link_refused", { code: failure.code, reason: failure.reason });
  return linkRefusedPage(failure);
}
