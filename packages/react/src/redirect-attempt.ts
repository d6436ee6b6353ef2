import { type OAuthResult, RETURN_ATTEMPT_PARAM } from "@instagram-connect/types";
import type { Attempt } from "./attempt.ts";
import { storageKey } from "./credential-store.ts";
import { pollAttempt } from "./popup-handshake.ts";

const key = (relayUrl: string) => storageKey(relayUrl, "pending");

/**
 * Remembers the attempt in sessionStorage before the page leaves for the relay (redirect mode).
 * Throws when storage is blocked: better an error now than a redirect that cannot finish.
 */
export function savePendingAttempt(relayUrl: string, attempt: Attempt): void {
  sessionStorage.setItem(key(relayUrl), JSON.stringify(attempt));
}

// A completed attempt is readable once: share one request per attempt so that React's
// strict-mode double effect (mount, unmount, mount) does not spend it twice.
const inflight = new Map<string, Promise<OAuthResult>>();

/**
 * When the page came back from the relay with `?ic_attempt=<id>` matching the pending attempt,
 * fetches its result, then forgets the attempt and removes the parameter from the address bar.
 * Returns null when there is nothing to resume.
 */
export function resumeRedirectAttempt(relayUrl: string): Promise<OAuthResult> | null {
  let pending: Attempt | null = null;
  const url = new URL(location.href);
  const id = url.searchParams.get(RETURN_ATTEMPT_PARAM);
  try {
    pending = JSON.parse(sessionStorage.getItem(key(relayUrl)) ?? "0");
  } catch {}
  if (!id || pending?.attemptId !== id) return null;
  const result =
    inflight.get(id) ??
    pollAttempt(relayUrl, pending, new AbortController().signal).finally(() => {
      inflight.delete(id);
      sessionStorage.removeItem(key(relayUrl));
      url.searchParams.delete(RETURN_ATTEMPT_PARAM);
      // Instagram appends `#_` to its redirect and browsers carry it over the relay's redirect.
      if (url.hash === "#_") url.hash = "";
      history.replaceState(history.state, "", url);
    });
  inflight.set(id, result);
  return result;
}
