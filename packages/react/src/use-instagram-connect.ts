"use client";
import {
  type ConnectionView,
  DEFAULT_SCOPES,
  type InstagramScope,
  type OAuthMode,
  type OAuthResult,
} from "@instagram-connect/types";
import { useEffect, useReducer, useRef } from "react";
import { type Attempt, createAttempt, startUrl } from "./attempt.ts";
import { type ConnectError, isDeadCredential } from "./connect-error.ts";
import {
  type ConnectState,
  currentError,
  deriveState,
  type IdleNote,
  INITIAL,
  reduce,
  retryAtOf,
  type StoredView,
} from "./connect-machine.ts";
import { awaitPopupResult } from "./popup-handshake.ts";
import { resumeRedirectAttempt, savePendingAttempt } from "./redirect-attempt.ts";
import { connectionKey, type InstagramRelayOptions, useRelayContext } from "./relay-context.ts";
import { useDisconnectMutation } from "./use-disconnect.ts";
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
  onConnect?: (connection: ConnectionView) => void;
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
 * Headless connect flow for a fully custom button: popup (with polling fallback), redirect,
 * stored connection, disconnect and every error state.
 *
 * @example
 * const ig = useInstagramConnect({ relayUrl: "https://relay.example.com" });
 * <button onClick={ig.state === "connected" ? ig.disconnect : ig.connect}>{ig.state}</button>;
 */
export function useInstagramConnect(options: UseInstagramConnectOptions): InstagramConnectController {
  const context = useRelayContext(options);
  const { relayUrl, client, handle } = context;
  const query = useConnectionQuery(context);
  const mutation = useDisconnectMutation(context);
  const [machine, dispatch] = useReducer(reduce, INITIAL);
  // Latest options and callbacks, so users need not memoise them.
  const latest = useRef(options);
  const prepared = useRef<Attempt | undefined>(undefined);
  const running = useRef<AbortController | null>(null);
  const flowState = useRef<ConnectState | undefined>(undefined);
  flowState.current = machine.flow?.state;

  useEffect(() => {
    latest.current = options;
  });

  const fail = (error: unknown) => {
    // Anything without a code (no WebCrypto on an insecure page, ...) is reported as network_error.
    const e: ConnectError = (error as ConnectError)?.code
      ? (error as ConnectError)
      : { code: "network_error", message: `${error}` };
    dispatch({ type: "fail", error: e, at: Date.now() });
    latest.current.onError?.(e);
  };

  const settle = (result: OAuthResult) => {
    if (!result.ok) return fail(result.error);
    context.setHandle(result.handle);
    client.setQueryData(connectionKey(relayUrl, result.handle.connectionId), result.connection);
    dispatch({ type: "settled" });
    latest.current.onConnect?.(result.connection);
  };

  const stop = () => {
    running.current?.abort();
    running.current = null;
  };

  const run = (work: Promise<OAuthResult>, control: AbortController) => {
    running.current = control;
    dispatch({ type: "start" });
    // Only the current run reports; finishing aborts it, which stops its listeners and polling.
    const guard =
      <T>(report: (value: T) => void) =>
      (value: T) => {
        if (running.current !== control) return;
        stop();
        report(value);
      };
    work.then(guard(settle), guard(fail));
  };

  const connect = () => {
    // A popup left unfinished keeps polling in the background; a new attempt replaces it.
    if (running.current && flowState.current !== "unfinished") return;
    stop();
    const { scopes = DEFAULT_SCOPES, mode, returnTo } = latest.current;
    const control = new AbortController();
    const ready = prepared.current;
    prepared.current = undefined;
    const attempt = ready ? Promise.resolve(ready) : createAttempt();
    const redirect = () =>
      attempt.then((a) => {
        savePendingAttempt(relayUrl, a);
        location.assign(
          startUrl(relayUrl, a, scopes, "redirect", returnTo ?? location.origin + location.pathname),
        );
        return new Promise<OAuthResult>(() => {});
      });
    if (mode === "redirect") return run(redirect(), control);
    // Opened synchronously, before any await, or popup blockers fire.
    const popup = open(
      ready ? startUrl(relayUrl, ready, scopes, "popup") : "about:blank",
      "ig",
      "width=480,height=720",
    );
    if (!popup) {
      run(redirect(), control);
      return dispatch({ type: "blocked" });
    }
    run(
      attempt.then((a) => {
        if (!ready) popup.location.href = startUrl(relayUrl, a, scopes, "popup");
        return awaitPopupResult(relayUrl, a, popup, control.signal, () => {
          if (running.current === control) dispatch({ type: "unfinished" });
        });
      }),
      control,
    );
  };

  // Prepare the next attempt ahead of the click: its SHA-256 challenge is async.
  const idle = machine.flow?.state !== "connecting";
  useEffect(() => {
    let live = idle && !prepared.current;
    // A failure here resurfaces on click, where it is reported.
    if (live) {
      createAttempt().then((a) => {
        if (live) prepared.current = a;
      }, Boolean);
    }
    return () => {
      live = false;
    };
  }, [idle]);

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

  const stored: StoredView = {
    ready: context.ready,
    hasHandle: !!handle,
    connection: (handle && query.data) || null,
    error,
    errorAt: query.errorUpdatedAt,
  };
  const state = deriveState(machine, stored);
  const retryAt = retryAtOf(machine, stored);

  return {
    state,
    connection: stored.connection,
    error: currentError(machine, stored),
    retryAt,
    note: state === "idle" ? machine.note : null,
    connect,
    cancel: () => {
      stop();
      dispatch({ type: "cancel" });
    },
    disconnect: () => {
      dispatch({ type: "disconnect" });
      mutation.mutate(undefined, {
        onSuccess: () => latest.current.onDisconnect?.(),
        onError: (e) => latest.current.onError?.(e),
      });
    },
    retry: () => {
      if (retryAt && Date.now() < retryAt) return;
      if (!machine.flow && error && state !== "reauth") void query.refetch();
      else connect();
    },
  };
}
