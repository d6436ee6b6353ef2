"use client";
import { type ReactElement, useRef } from "react";
import type { InstagramConnectProps } from "../instagram-connect.tsx";
import { InstagramConnectView } from "../instagram-connect.tsx";
import {
  type InstagramConnectController,
  type UseInstagramConnectOptions,
  useInstagramConnect as useConnect,
} from "../use-instagram-connect.ts";
import { SESSION_LABELS } from "./session-labels.ts";
import { type SessionConnectOptions, type SessionOptions, sessionStart } from "./session-start.ts";

/** Options of the session `useInstagramConnect`: the plain ones, a connect session, and `forceLogin`. */
export interface UseSessionConnectOptions extends UseInstagramConnectOptions, SessionOptions {
  /** Make Instagram ask for credentials again, so the visitor can pick another account. */
  forceLogin?: boolean;
}

/** Props of the session `<InstagramConnect>`. */
export interface SessionConnectProps extends InstagramConnectProps, SessionOptions {
  forceLogin?: boolean;
}

/** `invalid_session` is its own visible state (`session`), not a generic error. */
export const withSessionState = (ig: InstagramConnectController): InstagramConnectController =>
  ig.state === "error" && ig.error?.code === "invalid_session" ? { ...ig, state: "session" } : ig;

/**
 * `useInstagramConnect` bound to a connect session: the consent is made for your end user (the
 * popup still opens synchronously; the token is posted into it, never put in a URL), and
 * `onConnect` gets the relay's signed receipt. `extras` (read at each connect) adds a fresh login
 * or names the connection being reconnected.
 *
 * @example
 * const ig = useInstagramConnect({ relayUrl, getSessionToken: () => fetch("/api/ig-session").then((r) => r.text()) });
 */
export function useInstagramConnect(
  options: UseSessionConnectOptions,
  extras?: () => SessionConnectOptions,
): InstagramConnectController {
  const latest = useRef(options);
  latest.current = options;
  return withSessionState(
    useConnect(
      options,
      sessionStart(() => latest.current, extras ?? (() => latest.current)),
    ),
  );
}

/**
 * `<InstagramConnect>` with a connect session: `sessionToken` (from your backend's
 * `createConnectSession`) or `getSessionToken`. Same look, labels and props as the plain button.
 *
 * @example
 * <InstagramConnect relayUrl={relayUrl} sessionToken={token} onConnect={(c, receipt) => save(receipt)} />
 */
export function InstagramConnect(props: SessionConnectProps): ReactElement {
  return (
    <InstagramConnectView
      {...props}
      labels={{ ...SESSION_LABELS, ...props.labels }}
      controller={useInstagramConnect(props)}
    />
  );
}
