import { env } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type { OAuthMode, OAuthResultMessage } from "@instagram-connect/types";
import { randomToken, sha256Base64Url } from "../../src/crypto/base64url.ts";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { RETURN_TO, type RelayResponse, relayFetch, SITE } from "./relay.ts";

/** What the widget holds per attempt: the relay-issued id, the verifier it keeps, its challenge. */
export interface Attempt {
  attemptId: string;
  verifier: string;
  challenge: string;
}

/** `POST /v1/oauth/attempts` as the widget sends it (a form with the challenge, from `origin`). */
export function issueAttempt(challenge: string, origin = SITE): Promise<RelayResponse> {
  return relayFetch("/v1/oauth/attempts", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
    body: new URLSearchParams({ challenge }).toString(),
  });
}

/** A fresh attempt like the widget makes one: a verifier, and an id the relay issues for its challenge. */
export async function newAttempt(): Promise<Attempt> {
  const verifier = randomToken(32);
  const challenge = await sha256Base64Url(verifier);
  const issued = await issueAttempt(challenge);
  if (issued.status !== 201) throw new Error(`attempt issue answered ${issued.status}: ${issued.text}`);
  return { attemptId: issued.json<{ attemptId: string }>().attemptId, verifier, challenge };
}

/** `/v1/oauth/start?...` for an attempt (params may be overridden; null drops one). */
export function startPath(attempt: Attempt, params: Record<string, string | null> = {}): string {
  const query = new URLSearchParams();
  const all: Record<string, string | null> = {
    origin: SITE,
    mode: "popup",
    attemptId: attempt.attemptId,
    challenge: attempt.challenge,
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== null) query.set(name, value);
  return `/v1/oauth/start?${query}`;
}

/** A started flow: where the relay sent the browser and the cookie it set. */
export interface StartedFlow {
  attempt: Attempt;
  response: RelayResponse;
  authorize: URL;
  state: string;
  scope: string;
  /** `name=value` for a Cookie header. */
  cookie: string;
}

/** Runs `GET /v1/oauth/start` and reads the 302 and binding cookie. */
export async function startFlow(
  options: { mode?: OAuthMode; scopes?: string; forceLogin?: string } = {},
): Promise<StartedFlow> {
  const attempt = await newAttempt();
  const mode = options.mode ?? "popup";
  const response = await relayFetch(
    startPath(attempt, {
      mode,
      returnTo: mode === "redirect" ? RETURN_TO : null,
      scopes: options.scopes ?? null,
      forceLogin: options.forceLogin ?? null,
    }),
  );
  if (response.status !== 302) throw new Error(`start answered ${response.status}: ${response.text}`);
  const authorize = new URL(response.headers.get("Location") ?? "");
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return {
    attempt,
    response,
    authorize,
    state: authorize.searchParams.get("state") ?? "",
    scope: authorize.searchParams.get("scope") ?? "",
    cookie: setCookie.split(";")[0] ?? "",
  };
}

/** The fake's Allow: the callback URL Instagram would send the browser to. */
export function approve(fake: FakeInstagram, flow: StartedFlow, userId?: string): string {
  return fake.approve({
    redirectUri: env.INSTAGRAM_REDIRECT_URI,
    scope: flow.scope,
    state: flow.state,
    ...(userId ? { userId } : {}),
  });
}

/** Follows a callback URL to the relay with (or without) a Cookie header. */
export function callback(url: string, cookie?: string, accept?: string): Promise<RelayResponse> {
  const target = new URL(url);
  const headers: Record<string, string> = {};
  if (cookie) headers.Cookie = cookie;
  if (accept) headers.Accept = accept;
  return relayFetch(`${target.pathname}${target.search}`, { headers });
}

/** The message and targetOrigin the popup page posts, read from its inline script. */
export function postedMessage(html: string): { message: OAuthResultMessage; targetOrigin: string } {
  const match = /var m=(\{.*\}),o=("[^"]*");/s.exec(html);
  if (!match?.[1] || !match[2]) throw new Error("no postMessage in the callback page");
  return {
    message: JSON.parse(match[1]) as OAuthResultMessage,
    targetOrigin: JSON.parse(match[2]) as string,
  };
}

/** Polls the attempt endpoint like the widget does. */
export function pollAttempt(
  attempt: Attempt,
  verifier = attempt.verifier,
  origin = SITE,
): Promise<RelayResponse> {
  return relayFetch(`/v1/oauth/attempts/${attempt.attemptId}`, {
    headers: { "X-Attempt-Verifier": verifier, Origin: origin },
  });
}

/** A whole popup flow for one fake user; returns the posted success message. */
export async function connectPopup(fake: FakeInstagram, userId?: string): Promise<OAuthResultMessage> {
  const flow = await startFlow();
  const page = await callback(approve(fake, flow, userId), flow.cookie);
  return settled(postedMessage(page.text).message);
}

/**
 * Waits, as the connection's next change would, until its coordinator has announced the consent
 * (`connected`: audit, webhook, health), which follows the answer (issue 17 goal 6), so a test
 * reads them deterministically.
 */
export async function settled(message: OAuthResultMessage): Promise<OAuthResultMessage> {
  if (message.result.ok) {
    const { connectionId } = message.result.handle;
    await coordinatorFor(env, connectionId).current(connectionId);
  }
  return message;
}
