import { ROUTES } from "@instagram-connect/types";
import { escapeHtml, htmlPage } from "../http/html.ts";
import type { StartRequest } from "./start-params.ts";

/**
 * The relay's own page for a start it cannot tie to the claimed site (S30): it names the site
 * and continues only when the user clicks, with a POST that Hono's `csrf` middleware accepts
 * from this relay's own pages only. Framing is refused (`frame-ancestors 'none'`, `X-Frame-Options`)
 * so another page cannot trick the click; no flow exists (no cookie, no state) until that POST.
 */
export function confirmPage(start: StartRequest, authorizeUrl: string): Response {
  const fields: Record<string, string | null> = {
    origin: start.origin,
    mode: start.mode,
    scopes: start.scopes.join(","),
    attemptId: start.attemptId,
    challenge: start.challenge,
    returnTo: start.returnTo,
    forceLogin: start.forceLogin ? "1" : null,
  };
  const inputs = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("");
  const site = escapeHtml(start.origin);
  return htmlPage(
    {
      title: "Connect Instagram?",
      body:
        `<main data-confirm-origin="${site}"><h1><strong>${site}</strong> wants to connect your Instagram account</h1>` +
        `<p>Continue only if you opened this from <strong>${site}</strong> yourself.</p>` +
        `<form method="post" action="${ROUTES.oauthStart}">${inputs}<button type="submit" id="ic-confirm">Continue to Instagram</button></form>` +
        "<p>If you did not, close this window.</p></main>",
      formAction: ["'self'", new URL(authorizeUrl).origin],
    },
    200,
  );
}
