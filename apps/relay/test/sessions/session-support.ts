import { exports } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type {
  ConnectSessionRequest,
  ConnectSessionResponse,
  OAuthResultMessage,
} from "@instagram-connect/types";
import {
  type Attempt,
  approve,
  callback,
  newAttempt,
  postedMessage,
  type StartedFlow,
  settled,
} from "../support/flow.ts";
import { registerSecret } from "../support/leak-collector.ts";
import { RELAY, type RelayResponse, relayFetch, SITE } from "../support/relay.ts";

/** Creates a connect session through the app API; returns its token. */
export async function createSession(
  apiKey: string,
  body: Partial<ConnectSessionRequest> & Record<string, unknown> = {},
): Promise<ConnectSessionResponse> {
  // Called directly, not through relayFetch: this server-to-server answer is the one place the
  // token belongs; the leak check then proves it appears in no other response and no log line.
  const response = await exports.default.fetch(
    new Request(`${RELAY}/v1/api/connect-sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ endUser: { id: "user-a" }, ...body }),
    }),
  );
  if (response.status !== 201)
    throw new Error(`session answered ${response.status}: ${await response.text()}`);
  const session = (await response.json()) as ConnectSessionResponse;
  registerSecret(session.token);
  // The hosted link's secret travels in its URL path: it must still reach no log line and no
  // other response (the link's own page posts to itself instead of writing it into the form).
  registerSecret(session.connectUrl.split(".").pop() ?? "");
  return session;
}

/** Posts the start form into the popup as the widget does (the token in the body only). */
export async function postStart(
  token: string,
  options: {
    attempt?: Attempt;
    origin?: string;
    formOrigin?: string;
    scopes?: string;
    /** Redirect mode, back to this returnTo. */
    returnTo?: string;
  } = {},
): Promise<{ attempt: Attempt; response: RelayResponse }> {
  const attempt = options.attempt ?? (await newAttempt());
  const form = new URLSearchParams({
    origin: options.formOrigin ?? SITE,
    mode: options.returnTo ? "redirect" : "popup",
    ...(options.returnTo ? { returnTo: options.returnTo } : {}),
    attemptId: attempt.attemptId,
    challenge: attempt.challenge,
    sessionToken: token,
  });
  if (options.scopes) form.set("scopes", options.scopes);
  const response = await relayFetch("/v1/oauth/start", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: options.origin ?? SITE },
    body: form.toString(),
  });
  return { attempt, response };
}

/** A started flow from a posted start form (303 to Instagram). */
export async function startWithSession(token: string, scopes?: string): Promise<StartedFlow> {
  const { attempt, response } = await postStart(token, scopes ? { scopes } : {});
  if (response.status !== 303) throw new Error(`start answered ${response.status}: ${response.text}`);
  const authorize = new URL(response.headers.get("Location") ?? "");
  return {
    attempt,
    response,
    authorize,
    state: authorize.searchParams.get("state") ?? "",
    scope: authorize.searchParams.get("scope") ?? "",
    cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "",
  };
}

/** A whole consent with a session for one fake user; returns the posted message. */
export async function connectWithSession(
  fake: FakeInstagram,
  token: string,
  userId?: string,
): Promise<OAuthResultMessage> {
  const flow = await startWithSession(token);
  const page = await callback(approve(fake, flow, userId), flow.cookie);
  return settled(postedMessage(page.text).message);
}

/** Calls a widget session route with `Authorization: Session <token>`. */
export function sessionFetch(path: string, token: string, init: RequestInit = {}): Promise<RelayResponse> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Session ${token}`);
  headers.set("Origin", SITE);
  return relayFetch(path, { ...init, headers });
}
