import { SESSION_START_FIELD } from "@instagram-connect/types";
import type { ConnectError } from "../connect-error.ts";
import type { StartConsent } from "../use-instagram-connect.ts";

/** What a connect is for, passed to `getSessionToken` so the site's backend can make a matching session. */
export interface SessionTokenRequest {
  /** Set when reconnecting this connection: create the session with `reconnectConnectionId`. */
  reconnectConnectionId?: string;
}

/** How to bind a consent to your end user: a connect session from your backend (`createConnectSession`). */
export interface SessionOptions {
  /**
   * A connect session token. It starts one consent, and lists and disconnects the end user's
   * connections until it expires. `null` or `""` while there is none: a click reports `invalid_session`.
   */
  sessionToken?: string | null;
  /**
   * Fetches a fresh token from your backend, e.g. `() => fetch("/api/instagram-session").then((r) => r.text())`.
   * Called on each connect (after the popup opened, so it may take its time) and to list connections.
   */
  getSessionToken?: (request: SessionTokenRequest) => Promise<string>;
}

/** One connect's extras: a fresh Instagram login (switch account), or the connection being reconnected. */
export interface SessionConnectOptions {
  forceLogin?: boolean;
  reconnectConnectionId?: string;
}

/** `invalid_session` for a token that is not there (nothing is sent to the relay). */
export const NO_TOKEN: ConnectError = { code: "invalid_session", message: "No connect session token" };

// Tokens already posted to start a consent: a session starts one, so the next connect asks
// `getSessionToken` (when given) instead of spending a refusal on it. Module-wide, like the token.
const spent = new Set<string>();

/**
 * A token for the next consent: `sessionToken` until a consent spent it, then (or for a
 * reconnect, whose session your backend may bind to the connection) a fresh one from
 * `getSessionToken`. Rejects with NO_TOKEN when there is none.
 */
export async function consentToken(
  { sessionToken, getSessionToken }: SessionOptions,
  request: SessionTokenRequest = {},
): Promise<string> {
  const fresh =
    getSessionToken && (!sessionToken || spent.has(sessionToken) || !!request.reconnectConnectionId);
  return checked(fresh ? await getSessionToken(request) : sessionToken);
}

/** The token itself when it is a non-empty string, else NO_TOKEN. */
export function checked(token: unknown): string {
  if (typeof token !== "string" || !token) throw NO_TOKEN;
  return token;
}

/**
 * Posts the relay's start `url` as a form into the window named `target` (the popup, or `_self`):
 * the token travels in the body, never in a URL, a server log or the browser history. Targeting
 * the popup by name lets it open synchronously on click, before the token was even fetched.
 */
export function postStart(url: string, target: string, token: string): void {
  const start = new URL(url);
  start.searchParams.set(SESSION_START_FIELD, token);
  const form = Object.assign(document.createElement("form"), {
    method: "POST",
    action: start.origin + start.pathname,
    target,
    hidden: true,
  });
  for (const [name, value] of start.searchParams) {
    form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

/**
 * The start of a consent bound to a connect session: gets the token (after the popup opened),
 * then posts it. `extras()` is read at that moment, so one controller can connect, switch and
 * reconnect. Without a token the popup is closed and the attempt fails with `invalid_session`.
 */
export const sessionStart =
  (options: () => SessionOptions, extras: () => SessionConnectOptions = () => ({})): StartConsent =>
  async (url, popup) => {
    const { forceLogin, reconnectConnectionId } = extras();
    try {
      const token = await consentToken(options(), reconnectConnectionId ? { reconnectConnectionId } : {});
      spent.add(token);
      postStart(forceLogin ? `${url}&forceLogin=1` : url, popup ? "ig" : "_self", token);
    } catch (error) {
      popup?.close();
      throw error;
    }
  };
