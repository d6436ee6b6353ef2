import { SESSION_START_FIELD } from "@instagram-connect/types";

/** How to bind a consent to your end user: a connect session from your backend (`createConnectSession`). */
export interface SessionOptions {
  /**
   * A connect session token: it starts one consent and lists the end user's connections until it
   * expires. `null` while it is not there yet: a click then shows `invalid_session`.
   */
  sessionToken?: string | null;
  /** Fetches a fresh token from your backend; called on each connect, after the popup opened. */
  getSessionToken?: () => Promise<string>;
}

/**
 * Sends the window named `target` (the popup, or `_self`) to the relay's start URL `url` as a form
 * POST carrying the session token: the token travels in the body, never in a URL, a server log or
 * the browser history. Targeting the popup by name lets it open synchronously on click, before
 * the token was even fetched.
 */
export function postStart(url: string, target: string, token: string): void {
  const start = new URL(url);
  start.searchParams.set(SESSION_START_FIELD, token);
  // Appended and removed within this task: never rendered, so plain inputs do.
  const form = Object.assign(document.createElement("form"), {
    method: "POST",
    action: start.origin + start.pathname,
    target,
  });
  for (const [name, value] of start.searchParams)
    form.append(Object.assign(document.createElement("input"), { name, value }));
  document.body.append(form);
  form.submit();
  form.remove();
}
