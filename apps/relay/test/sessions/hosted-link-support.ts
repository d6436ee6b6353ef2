import { env } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import { callback } from "../support/flow.ts";
import { RELAY, type RelayResponse, relayFetch } from "../support/relay.ts";

/** The headers Chromium sends when the link's own page submits its form. */
export const FROM_LINK_PAGE = {
  "Content-Type": "application/x-www-form-urlencoded",
  Origin: RELAY,
  "Sec-Fetch-Site": "same-origin",
};

/** Opens a hosted link as a browser does (a top-level GET of the e-mailed URL). */
export function openLink(connectUrl: string): Promise<RelayResponse> {
  return relayFetch(new URL(connectUrl).pathname, { headers: { Accept: "text/html" } });
}

/** Clicks the page's "Continue to Instagram" (a form POST to the same URL); headers may be overridden. */
export function continueLink(
  connectUrl: string,
  headers: Record<string, string> = FROM_LINK_PAGE,
  body = "",
): Promise<RelayResponse> {
  return relayFetch(new URL(connectUrl).pathname, { method: "POST", headers, body });
}

/** A consent started by the link's button: where the browser goes and the binding cookie it got. */
export interface LinkFlow {
  authorize: URL;
  state: string;
  scope: string;
  cookie: string;
}

/** Reads the 303 to Instagram of a continued link. */
export function linkFlow(response: RelayResponse): LinkFlow {
  if (response.status !== 303) throw new Error(`link answered ${response.status}: ${response.text}`);
  const authorize = new URL(response.headers.get("Location") ?? "");
  return {
    authorize,
    state: authorize.searchParams.get("state") ?? "",
    scope: authorize.searchParams.get("scope") ?? "",
    cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "",
  };
}

/** The user approves on (fake) Instagram as `userId` and the browser follows the callback. */
export function finishLink(fake: FakeInstagram, flow: LinkFlow, userId?: string, cookie = flow.cookie) {
  const back = fake.approve({
    redirectUri: env.INSTAGRAM_REDIRECT_URI,
    scope: flow.scope,
    state: flow.state,
    ...(userId ? { userId } : {}),
  });
  return callback(back, cookie);
}

/** Open, click, approve, follow: the whole hosted consent; returns the result page. */
export async function useLink(
  fake: FakeInstagram,
  connectUrl: string,
  userId?: string,
): Promise<RelayResponse> {
  const page = await openLink(connectUrl);
  if (page.status !== 200) throw new Error(`link page answered ${page.status}`);
  return finishLink(fake, linkFlow(await continueLink(connectUrl)), userId);
}
