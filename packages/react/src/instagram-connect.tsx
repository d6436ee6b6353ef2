"use client";
import { type ReactElement, useEffect, useRef, useState } from "react";
import { DEFAULT_LABELS, type InstagramConnectLabels } from "./labels.ts";
import {
  type InstagramConnectController,
  type UseInstagramConnectOptions,
  useInstagramConnect,
} from "./use-instagram-connect.ts";
import { useSecondsLeft } from "./use-seconds-left.ts";

/** Colour scheme of the widget: `auto` (default) follows the visitor's system setting. */
export type InstagramConnectTheme = "light" | "dark" | "auto";

/** Props of `<InstagramConnectView>`: what to show, without any data fetching. */
export interface InstagramConnectViewProps {
  /** The state and actions to render, as returned by `useInstagramConnect`. */
  controller: Pick<
    InstagramConnectController,
    "state" | "connection" | "retryAt" | "note" | "connect" | "cancel" | "disconnect" | "retry"
  >;
  /** Overrides for any label (i18n). */
  labels?: Partial<InstagramConnectLabels>;
  /** Class added to the root element (`.ic`); theme it with the `--ic-*` CSS variables. */
  className?: string;
  /** `light`, `dark` or `auto` (the default: no `data-theme`, following the system setting). */
  theme?: InstagramConnectTheme;
}

/** Props of `<InstagramConnect>`. */
export interface InstagramConnectProps
  extends UseInstagramConnectOptions,
    Omit<InstagramConnectViewProps, "controller"> {}

type Action = [label: string, run?: () => void] | false | undefined;

/**
 * The widget's markup for a given controller: a visible status line (announced once per
 * change), the primary action and a secondary one. Styled only by class names from
 * `@instagram-connect/react/styles.css`, so it works under `style-src 'self'`.
 */
export function InstagramConnectView({
  controller: ig,
  labels,
  className,
  theme,
}: InstagramConnectViewProps): ReactElement {
  const l = { ...DEFAULT_LABELS, ...labels };
  const { state } = ig;
  const seconds = useSecondsLeft(state === "rate_limited" ? ig.retryAt : null);
  const [confirming, setConfirming] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const main = useRef<HTMLButtonElement>(null);
  // Read before this render reaches the page: did the widget hold focus (which the change may remove)?
  const inside = useRef(false);
  inside.current = !!root.current?.contains(document.activeElement);
  const profile = state === "connected" || state === "reauth" ? ig.connection?.profile : undefined;
  const user = profile?.username ?? "";
  const busy = state === "loading" || state === "connecting" || state === "blocked";
  // The confirmation only makes sense while there is something to disconnect.
  const asking = confirming && !!profile;
  const disconnect: Action = [l.disconnect, () => setConfirming(true)];
  const retry: Action = [seconds ? l.retryIn(seconds) : l.retry, seconds ? undefined : ig.retry];

  const [status, primary, secondary]: [string, Action?, Action?] = asking
    ? [l.confirmDisconnect(user), [l.disconnect, ig.disconnect], [l.keep, () => setConfirming(false)]]
    : state === "connected"
      ? [l.connected(user), false, disconnect]
      : state === "reauth"
        ? [l.expired(user), [l.reconnect, ig.connect], disconnect]
        : state === "idle"
          ? [ig.note ? l[ig.note] : "", [l.connect, ig.connect]]
          : state === "loading"
            ? ["", [l.checking]]
            : state === "connecting"
              ? [l.waiting, [l.connecting], [l.cancel, ig.cancel]]
              : state === "blocked"
                ? [l.blocked, [l.connecting]]
                : // (`session` comes with the session entry's labels.)
                  [state === "rate_limited" ? l.rateLimited : (l[state] as string), retry];

  // When the focused control went away (connected, confirmed, cancelled), focus lands on the
  // main action if one is left, else on the status line: never on a destructive control.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when what is shown changes.
  useEffect(() => {
    const active = document.activeElement;
    if (inside.current && (!active || active === document.body))
      (main.current ?? root.current?.querySelector<HTMLElement>(".ic-status"))?.focus();
    // Opening the confirmation focuses its safe answer (Keep).
    if (asking) root.current?.querySelector<HTMLElement>(".ic-secondary")?.focus();
  }, [state, asking]);

  const brand = !asking && (state === "idle" || state === "reauth");
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: only catches Escape bubbling up from the buttons inside.
    <div
      ref={root}
      className={className ? `ic ${className}` : "ic"}
      data-state={state}
      data-theme={theme}
      aria-busy={busy}
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !(asking || state === "connecting")) return;
        asking ? setConfirming(false) : ig.cancel();
        main.current?.focus();
      }}
    >
      {profile?.profilePictureUrl && <img className="ic-avatar" src={profile.profilePictureUrl} alt="" />}
      <span className="ic-status" role="status" title={user && status} tabIndex={-1}>
        {status}
      </span>
      {primary && (
        // Each slot keeps its place in the children (a missing one is `false`), so the main action
        // and Disconnect are never the same element: focus cannot slide from one to the other.
        <button
          ref={main}
          type="button"
          className={`ic-btn ${brand ? "ic-brand" : "ic-primary"}`}
          aria-disabled={!primary[1]}
          onClick={primary[1]}
        >
          {busy && <span className="ic-spin" aria-hidden />}
          {primary[0]}
        </button>
      )}
      {secondary && (
        <button type="button" className="ic-btn ic-secondary" onClick={secondary[1]}>
          {secondary[0]}
        </button>
      )}
    </div>
  );
}

/**
 * A button that connects a visitor's Instagram account through the relay, then shows who is
 * connected and a Disconnect button (with confirmation). Import
 * `@instagram-connect/react/styles.css` once for its look.
 *
 * @example
 * <InstagramConnect relayUrl="https://relay.example.com" onConnect={(c) => console.log(c.profile.username)} />
 */
export function InstagramConnect(props: InstagramConnectProps): ReactElement {
  // The hook ignores the view's props (labels, className, theme), the view the hook's.
  return <InstagramConnectView {...props} controller={useInstagramConnect(props)} />;
}
