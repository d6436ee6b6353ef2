"use client";
import {
  type ConnectionView,
  DEFAULT_SCOPES,
  type InstagramScope,
  type OAuthMode,
  type OAuthResult,
} from "@instagram-connect/types";
import { useEffect, useReducer, useRef } from "react";
import { createAttempt, startUrl } from "./attempt.ts";
import { type ConnectError, isDeadCredential } from "./connect-error.ts";
import { type ConnectState, derive, type IdleNote, INITIAL, reduce } from "./connect-machine.ts";
import { awaitPopupResult } from "./popup-handshake.ts";
import { resumeRedirectAttempt, savePendingAttempt } from "./redirect-attempt.ts";
import { connectionKey, type InstagramRelayOptions, useRelayContext } from "./relay-context.ts";
import { disconnectStored } from "./use-disconnect.ts";
import { useConnectionQuery } from "./use-instagram-connection.ts";

export type { ConnectState } from "./connect-machine.ts";

/** Options of `useInstagramConnect` (and props of `<InstagramConnect>`). */
export interface UseInstagramConnectOptions extends InstagramRelayOptions {
  /** Scopes to request (default `["instagram_business_basic"]`). */
  scopes?: readonly InstagramScope[];
  /** `"popup"` (default; falls back to redirect when blocked) or `"redirect"`. */
  mode?: OAuthMode;
  /** Redirect mode: where the relay sends the browser back (default: this page, without query). */
  returnTo?: string;
  /** `receipt`: the relay's signed JWS for your server to check (`verifyConnectReceipt`), when it signs. */
  onConnect?: (connection: ConnectionView, receipt?: string) => void;
  onDisconnect?: () => void;
  onError?: (error: ConnectError) => void;
}

/** The headless controller behind `<InstagramConnect>`. */
export interface InstagramConnectController {
  state: ConnectState;
  /** The connection while connected (or needing reauth). */
  connection: ConnectionView | null;
  error: ConnectError | null;
  /** Epoch ms before which `retry()` does nothing (rate_limited only). */
  retryAt: number | null;
  /** Why the state went back to idle (`cancelled`, `disconnected`), for a one-time notice. */
  note: IdleNote | null;
  /** Starts consent; call it synchronously from a click/keyboard handler (popup blockers). */
  connect: () => void;
  cancel: () => void;
  disconnect: () => void;
  retry: () => void;
}

/**
 * Sends the popup (or this tab, when `popup` is null) to the relay's start `url`; may be async,
 * and its rejection is the attempt's error.
 */
export type StartConsent = (url: string, popup: Window | null) => unknown;

/** The plain start: navigate the popup (or this tab) to the start URL. */
const navigate: StartConsent = (url, popup) => {
  if (popup) popup.location.href = url;
  else location.assign(url);
};

/**
 * Headless connect flow for a fully custom button: popup (with polling fallback), redirect,
 * stored connection, disconnect and every error state.
 *
 * @example
 * const ig = useInstagramConnect({ relayUrl: "https://relay.example.com" });
 * <button onClick={ig.state === "connected" ? ig.disconnect : ig.connect}>{ig.state}</button>;
 */
export function useInstagramConnect(
  options: UseInstagramConnectOptions,
  go: StartConsent = navigate,
): InstagramConnectController {
  // Development only (production bundles drop it): a session prop here would be ignored, and the
  // consent would run without the end user.
  if (
    process.env.NODE_ENV !== "production" &&
    go === navigate &&
    ("sessionToken" in options || "getSessionToken" in options)
  ) {
    throw new Error(
      'instagram-connect: sessionToken/getSessionToken need InstagramConnect or useInstagramConnect from "@instagram-connect/react/session"',
    );
  }
  const context = useRelayContext(options);
  const { relayUrl, client, handle } = context;
  const query = useConnectionQuery(context);
  const [machine, dispatch] = useReducer(reduce, INITIAL);
  // Latest options and callbacks, so users need not memoise them.
  const latest = useRef(options);
  latest.current = options;
  const running = useRef<AbortController | null>(null);

  const stop = () => {
    running.current?.abort();
    running.current = null;
  };

  const run = (work: Promise<OAuthResult>, control: AbortController) => {
    running.current = control;
    dispatch("connecting");
    work
      // Anything without a code (no WebCrypto on an insecure page, ...) is reported as network_error.
      .catch(
        (error): OAuthResult => ({
          ok: false,
          error: error?.code ? error : { code: "network_error", message: `${error}` },
        }),
      )
      .then((result) => {
        // Only the current run reports; finishing aborts it, which stops its listeners and polling.
        if (running.current !== control) return;
        stop();
        if (!result.ok) {
          dispatch({ error: result.error, at: Date.now() });
          return latest.current.onError?.(result.error);
        }
        context.setHandle(result.handle);
        client.setQueryData(connectionKey(relayUrl, result.handle.connectionId), result.connection);
        dispatch("settled");
        latest.current.onConnect?.(result.connection, result.receipt);
      });
  };

  const connect = () => {
    // One attempt at a time (even for two calls before a re-render: `running` is set at once);
    // a popup left unfinished keeps polling in the background, and a new attempt replaces it.
    if (running.current && machine.state !== "unfinished") return;
    stop();
    const { scopes = DEFAULT_SCOPES, mode, returnTo } = latest.current;
    const control = new AbortController();
    const attempt = createAttempt(relayUrl);
    const redirect = () =>
      attempt.then(async (a) => {
        savePendingAttempt(relayUrl, a);
        await go(
          startUrl(relayUrl, a, scopes, "redirect", returnTo ?? location.origin + location.pathname),
          null,
        );
        return new Promise<OAuthResult>(() => {});
      });
    if (mode === "redirect") return run(redirect(), control);
    // Opened synchronously, before any await, or popup blockers fire; it goes to the relay once
    // the relay has issued the attempt's id (one request, begun on this click); if that fails
    // the blank popup closes and the error shows here.
    const popup = open("about:blank", "ig", "width=480,height=720");
    if (!popup) {
      run(redirect(), control);
      return dispatch("blocked");
    }
    run(
      attempt.then(
        async (a) => {
          await go(startUrl(relayUrl, a, scopes, "popup"), popup);
          return awaitPopupResult(relayUrl, a, popup, control.signal, () => {
            if (running.current === control) dispatch("unfinished");
          });
        },
        (error) => {
          popup.close();
          throw error;
        },
      ),
      control,
    );
  };

  // Back from the relay in redirect mode (`?ic_attempt=`): finish that attempt. Unmount aborts.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per relay; run only reads refs and setters.
  useEffect(() => {
    const result = resumeRedirectAttempt(relayUrl);
    if (result) run(result, new AbortController());
    return stop;
  }, [relayUrl]);

  const error = query.error;
  useEffect(() => {
    if (error && !isDeadCredential(error)) latest.current.onError?.(error);
  }, [error]);

  const connection = (handle && query.data) || null;
  const shown = derive(machine, {
    ready: context.ready,
    hasHandle: !!handle,
    connection,
    error,
    errorAt: query.errorUpdatedAt,
  });

  const { state, retryAt } = shown;
  return {
    ...shown,
    connection,
    note: (state === "idle" && machine.note) || null,
    connect,
    cancel: () => {
      stop();
      dispatch("cancel");
    },
    disconnect: () => {
      dispatch("disconnect");
      disconnectStored(context).then(
        () => latest.current.onDisconnect?.(),
        (e) => latest.current.onError?.(e),
      );
    },
    retry: () => {
      // Without a retryAt, `now < null` is false.
      if (Date.now() < (retryAt as number)) return;
      if (!machine.state && error && state !== "reauth") void query.refetch();
      else connect();
    },
  };
}
