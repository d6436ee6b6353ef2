import { ERROR_MESSAGES, ERROR_STATUS } from "@instagram-connect/types";
import { escapeHtml, htmlPage } from "../http/html.ts";
import type { Failure } from "../result.ts";

/** What the hosted link's page tells the visitor before they continue. */
export interface LinkPageFacts {
  /** The site the connection is for (its origin). */
  site: string;
  /** The end user's display name as the site gave it, if any. */
  displayName: string | null;
  /** The connection's Instagram username when the link reconnects one. */
  reconnectUsername: string | null;
  /** Instagram's authorize origin: the form's POST is answered with a redirect there (CSP form-action). */
  authorizeOrigin: string;
}

/**
 * The hosted connect link's page (`GET /v1/connect/:link`): names the site (and, for a reconnect,
 * the account to sign in with) and continues only on the visitor's click, a same-origin POST to
 * this same URL (no `action`, so the secret is never written into the page). Showing the page
 * spends nothing, so a mail scanner fetching the link does not burn it. No script; not framable.
 */
export function linkPage(facts: LinkPageFacts): Response {
  const site = escapeHtml(new URL(facts.site).host);
  const who = facts.displayName
    ? `<p>Signed in at ${site} as <strong>${escapeHtml(facts.displayName)}</strong>.</p>`
    : "";
  const reconnect = facts.reconnectUsername
    ? `<p>Sign in to Instagram as <strong>@${escapeHtml(facts.reconnectUsername)}</strong> to reconnect it.</p>`
    : "";
  const heading = facts.reconnectUsername
    ? `Reconnect your Instagram account to <strong>${site}</strong>`
    : `Connect your Instagram account to <strong>${site}</strong>`;
  return htmlPage(
    {
      title: facts.reconnectUsername ? "Reconnect Instagram" : "Connect Instagram",
      body:
        `<main data-connect-link="ready" data-site="${escapeHtml(facts.site)}"><h1>${heading}</h1>${who}${reconnect}` +
        `<form method="post"><button type="submit" id="ic-continue">Continue to Instagram</button></form>` +
        "<p>This link works once. If you did not ask for it, close this page.</p></main>",
      formAction: ["'self'", facts.authorizeOrigin],
    },
    200,
    // A personal, single-use page: keep it out of search indexes should a link ever be published.
    { "X-Robots-Tag": "noindex, nofollow" },
  );
}

// Said instead of the generic message: the visitor of a link needs to know what to do next.
const LINK_REFUSAL_TEXT: Record<string, string> = {
  invalid_session: "This link has expired or was already used. Ask the site for a new link.",
};

/** The page for a link that cannot be used (unknown, expired, used, or a forged POST): typed, no retry. */
export function linkRefusedPage(failure: Failure): Response {
  const text = LINK_REFUSAL_TEXT[failure.code] ?? ERROR_MESSAGES[failure.code];
  return htmlPage(
    {
      title: "Instagram connection",
      body: `<main data-error-code="${escapeHtml(failure.code)}"><h1>This link cannot be used</h1><p>${escapeHtml(text)}</p></main>`,
    },
    ERROR_STATUS[failure.code],
  );
}
