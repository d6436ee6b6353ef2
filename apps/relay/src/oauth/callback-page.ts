import {
  OAUTH_MESSAGE_TYPE,
  type OAuthResult,
  type OAuthResultMessage,
  RETURN_ATTEMPT_PARAM,
} from "@instagram-connect/types";
import { escapeHtml, htmlPage, scriptJson } from "../http/html.ts";

/**
 * The script of every popup page that ends an attempt: posts the typed result to `window.opener`
 * with `origin` as targetOrigin (never `*`, S10), then closes; without an opener it shows
 * `#ic-close` ("You can close this window").
 */
export function resultScript(origin: string, attemptId: string, result: OAuthResult): string {
  const message: OAuthResultMessage = { type: OAUTH_MESSAGE_TYPE, version: 1, attemptId, result };
  return (
    `(function(){var m=${scriptJson(message)},o=${scriptJson(origin)};` +
    "try{if(window.opener){window.opener.postMessage(m,o);window.close();}}catch(e){}" +
    'document.getElementById("ic-close").hidden=false;})();'
  );
}

/**
 * The popup's last page: posts the result to `window.opener` with the exact site origin from
 * the flow record as targetOrigin (never `*`, S10), then closes. Without an opener (COOP,
 * opened in a tab) it says the window can be closed; the widget then learns the result by
 * polling the attempt (S13).
 */
export function callbackPage(
  origin: string,
  attemptId: string,
  result: OAuthResult,
  extraHeaders: Record<string, string>,
): Response {
  const heading = result.ok ? "Instagram connected" : "Could not connect Instagram";
  const code = result.ok ? "" : ` data-error-code="${escapeHtml(result.error.code)}"`;
  const script = resultScript(origin, attemptId, result);
  return htmlPage(
    {
      title: heading,
      body: `<main${code}><h1>${escapeHtml(heading)}</h1><p id="ic-close" hidden>You can close this window.</p><noscript><p>You can close this window.</p></noscript></main>`,
      script,
    },
    200,
    extraHeaders,
  );
}

/**
 * Redirect mode's end of an attempt: back to the exact allowlisted `returnTo` with only the
 * attempt id, where the widget collects the result by polling (S5, S6).
 */
export function redirectBack(
  returnTo: string,
  attemptId: string,
  headers: Record<string, string> = {},
): Response {
  const target = new URL(returnTo);
  target.searchParams.set(RETURN_ATTEMPT_PARAM, attemptId);
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
