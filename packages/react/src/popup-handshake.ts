import { OAUTH_MESSAGE_TYPE, type OAuthResult } from "@instagram-connect/types";
import type { Attempt } from "./attempt.ts";
import type { ConnectError } from "./connect-error.ts";
import { fetchAttempt } from "./relay-client.ts";

/** How often the attempt endpoint is polled while the result is pending (ms). */
export const POLL_INTERVAL = 1500;

/** True when `data` is a well-formed `OAuthResultMessage` for `attemptId` (a missing id is a mismatch: S11). */
// biome-ignore lint/suspicious/noExplicitAny: untrusted input, every field is checked here.
export function isResultMessage(data: any, attemptId: string): data is { result: OAuthResult } {
  const result = data?.result;
  return (
    data?.type === OAUTH_MESSAGE_TYPE &&
    data.version === 1 &&
    data.attemptId === attemptId &&
    (result?.ok
      ? !!(result.handle?.credential && result.handle.connectionId && result.connection?.profile)
      : !!result?.error?.code)
  );
}

/**
 * Polls the relay for the attempt's result until it completes or expires (S13); stops once
 * `signal` aborts. A 429 waits for its `Retry-After` and goes on. `onPending` runs after each
 * answer that is still pending.
 */
export async function pollAttempt(
  relayUrl: string,
  attempt: Attempt,
  signal: AbortSignal,
  onPending?: () => void,
): Promise<OAuthResult> {
  for (;;) {
    let wait = POLL_INTERVAL;
    try {
      const response = await fetchAttempt(relayUrl, attempt, signal);
      if (response.status === "complete") return response.result;
      onPending?.();
      if (Date.parse(response.expiresAt) <= Date.now())
        throw { code: "attempt_not_found", message: "Attempt expired" } satisfies ConnectError;
    } catch (error) {
      if ((error as ConnectError).code !== "rate_limited") throw error;
      wait = ((error as ConnectError).retryAfter || 2) * 1000;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    signal.throwIfAborted();
  }
}

/**
 * Waits for the result of a consent popup: the relay's `postMessage`, accepted only from the
 * relay origin, from `popup`, for this attempt (S11); or, once the popup reads as closed without
 * one (COOP on the host page, lost message), the attempt endpoint (S13). Abort `signal` once
 * done or cancelled: that stops listening, watching and polling, and closes the popup.
 *
 * `onUnfinished` runs when the visitor evidently left the popup without a result: it reads as
 * closed, the attempt is still pending and this page has the focus again. (When COOP cut the
 * link, the popup reads as closed at once while it lives on with the focus, so only the
 * visitor's return says it was left.) Polling goes on after that, so a late result still arrives.
 */
export function awaitPopupResult(
  relayUrl: string,
  attempt: Attempt,
  popup: Window,
  signal: AbortSignal,
  onUnfinished: () => void = () => {},
): Promise<OAuthResult> {
  const origin = new URL(relayUrl).origin;
  return new Promise<OAuthResult>((resolve, reject) => {
    const watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(watch);
      pollAttempt(relayUrl, attempt, signal, () => document.hasFocus() && onUnfinished()).then(
        resolve,
        reject,
      );
    }, 250);
    // The signal is this attempt's own: nothing else sets its handler.
    signal.onabort = () => {
      clearInterval(watch);
      popup.close();
    };
    addEventListener(
      "message",
      (event) => {
        if (
          event.origin === origin &&
          event.source === popup &&
          isResultMessage(event.data, attempt.attemptId)
        ) {
          resolve(event.data.result);
        }
      },
      { signal },
    );
  });
}
