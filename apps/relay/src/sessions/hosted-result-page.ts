import { CONNECT_LINK_RESULT_PARAM, type OAuthResult } from "@instagram-connect/types";
import { escapeHtml, htmlPage } from "../http/html.ts";

/** What a consent started from a hosted connect link carries to its callback. */
export interface HostedFlow {
  /** Where the result page offers to return (validated when the session was made), or null. */
  returnUrl: string | null;
}

/**
 * The last page of a consent run through a hosted connect link: says in words whether it worked
 * (`data-result="connected"` or `data-error-code`) and offers a link back to `returnUrl` with
 * `ic_result`. It carries no credential, receipt or token: whoever opened the link learns only
 * the outcome and the account's public username. No script, so nothing is posted anywhere.
 */
export function hostedResultPage(
  site: string,
  hosted: HostedFlow,
  result: OAuthResult,
  headers: Record<string, string>,
): Response {
  const siteName = escapeHtml(new URL(site).host);
  const outcome = result.ok ? "connected" : result.error.code;
  const back = hosted.returnUrl ? new URL(hosted.returnUrl) : null;
  back?.searchParams.set(CONNECT_LINK_RESULT_PARAM, outcome);
  const next = back
    ? `<p><a id="ic-return" href="${escapeHtml(back.href)}">Return to ${siteName}</a></p>`
    : "<p>You can close this page.</p>";
  const body = result.ok
    ? `<main data-result="connected"><h1>Instagram connected</h1>` +
      `<p>@${escapeHtml(result.connection.profile.username)} is now connected to <strong>${siteName}</strong>.</p>${next}</main>`
    : `<main data-error-code="${escapeHtml(result.error.code)}"><h1>Could not connect Instagram</h1>` +
      `<p>${escapeHtml(result.error.message)}</p>${next}</main>`;
  return htmlPage(
    { title: result.ok ? "Instagram connected" : "Could not connect Instagram", body },
    200,
    headers,
  );
}
