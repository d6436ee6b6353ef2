/**
 * Whether a `GET /v1/oauth/start` navigation shows it came from the origin it claims (F1 in
 * issue 13, S30). Chromium sends, for a `window.open` popup (or a popup the opener navigates
 * later) and for a top-level redirect started by the site's page: `Sec-Fetch-Dest: document`,
 * `Sec-Fetch-Mode: navigate`, `Sec-Fetch-Site: cross-site` (or `same-site`), and the initiating
 * page as `Referer` (the origin at least, under the default `strict-origin-when-cross-origin`);
 * apps/demo/e2e/start-binding.test.mjs checks this in Chromium. A page cannot forge `Referer`,
 * and the flow's binding cookie lands in the browser that made this request, so a start that
 * passes this check was made by the claimed site in the user's own browser.
 *
 * Anything else (no Referer because of a `no-referrer` policy, another origin's page, a typed
 * URL with `Sec-Fetch-Site: none`, a frame or a fetch) is not refused: it gets the confirmation
 * page and needs the user's click.
 */
export function navigationProvesOrigin(headers: Headers, claimedOrigin: string): boolean {
  const dest = headers.get("Sec-Fetch-Dest");
  if (dest !== null && dest !== "document") return false;
  const mode = headers.get("Sec-Fetch-Mode");
  if (mode !== null && mode !== "navigate") return false;
  if (headers.get("Sec-Fetch-Site") === "none") return false;
  // Chromium sends Origin on some navigations (e.g. after a POST); when present it must agree.
  const origin = headers.get("Origin");
  if (origin !== null && origin !== claimedOrigin) return false;
  return refererOrigin(headers.get("Referer")) === claimedOrigin;
}

function refererOrigin(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
