"use client";
import { type ReactElement, useRef } from "react";
import { DEFAULT_LABELS, type InstagramConnectLabels } from "./labels.ts";
import { avatarStyle, hiddenStyle, primaryStyle, rootStyle } from "./styles.ts";
import { type UseInstagramConnectOptions, useInstagramConnect } from "./use-instagram-connect.ts";
import { useSecondsLeft } from "./use-seconds-left.ts";

/** Props of `<InstagramConnect>`. */
export interface InstagramConnectProps extends UseInstagramConnectOptions {
  /** Overrides for any label (i18n). */
  labels?: Partial<InstagramConnectLabels>;
  /** Class added to the root element; theme it with `--ic-*` CSS variables. */
  className?: string;
}

/**
 * A button that connects a visitor's Instagram account through the relay, then shows the
 * avatar, @username and a Disconnect button.
 *
 * @example
 * <InstagramConnect relayUrl="https://relay.example.com" onConnect={(c) => console.log(c.profile.username)} />
 */
export function InstagramConnect({
  labels: custom,
  className,
  ...options
}: InstagramConnectProps): ReactElement {
  const ig = useInstagramConnect(options);
  const labels = { ...DEFAULT_LABELS, ...custom };
  const { state } = ig;
  const seconds = useSecondsLeft(state === "rate_limited" ? ig.retryAt : null);
  const primary = useRef<HTMLButtonElement>(null);
  const profile = state === "connected" ? ig.connection?.profile : undefined;
  const busy = state === "loading" || state === "connecting" || state === "blocked";
  const [label, action] = profile
    ? [labels.disconnect, ig.disconnect]
    : state === "idle"
      ? [labels.connect, ig.connect]
      : state === "reauth"
        ? [labels.reconnect, ig.connect]
        : busy
          ? [state === "blocked" ? labels.blocked : labels.connecting]
          : seconds
            ? [labels.retryIn(seconds)]
            : [state === "rate_limited" ? labels.retry : labels[state as "denied"], ig.retry];
  const secondary: [string, () => void] | false =
    (state === "connecting" && [labels.cancel, ig.cancel]) ||
    (state === "reauth" && [labels.disconnect, ig.disconnect]);

  // The primary button stays mounted in every state, so keyboard focus is never lost.
  return (
    <div className={className} style={rootStyle} data-state={state}>
      {profile?.profilePictureUrl && (
        <img src={profile.profilePictureUrl} alt={labels.username(profile.username)} style={avatarStyle} />
      )}
      {profile && <span>{labels.username(profile.username)}</span>}
      <button
        ref={primary}
        type="button"
        style={{ ...primaryStyle, opacity: action ? 1 : 0.7 }}
        aria-busy={busy}
        aria-disabled={!action}
        onClick={action}
      >
        {label}
      </button>
      {secondary && (
        <button
          type="button"
          style={{ font: "inherit" }}
          onClick={() => {
            secondary[1]();
            primary.current?.focus();
          }}
        >
          {secondary[0]}
        </button>
      )}
      <span role="status" style={hiddenStyle}>
        {profile
          ? labels.connected(profile.username)
          : state === "rate_limited"
            ? labels.rateLimited
            : state !== "idle" && label}
      </span>
    </div>
  );
}
