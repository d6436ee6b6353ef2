import { type ConnectState, useInstagramConnect } from "@instagram-connect/react";
import type { ReactElement } from "react";
import { RELAY_URL } from "./relay-url.ts";

const LABELS: Record<ConnectState, string> = {
  idle: "Link my Instagram",
  loading: "Checking…",
  connecting: "Waiting for Instagram…",
  connected: "Unlink",
  denied: "You said no. Ask again?",
  blocked: "Popup blocked, continuing in this tab…",
  unfinished: "Not finished. Retry",
  rate_limited: "Too many tries. Retry",
  reauth: "Link again",
  error: "Something failed. Retry",
  session: "Session expired. Retry",
};

/** A fully custom button driven by the headless hook, showing the controller's state as it goes. */
export function HeadlessButton(): ReactElement {
  const ig = useInstagramConnect({ relayUrl: RELAY_URL });
  const { state } = ig;
  // connect() opens the popup synchronously, so it must run straight from the click handler.
  const action =
    state === "connected"
      ? ig.disconnect
      : state === "idle" || state === "reauth"
        ? ig.connect
        : state === "loading" || state === "connecting" || state === "blocked"
          ? undefined
          : ig.retry;
  const username = ig.connection?.profile.username;

  return (
    <div className="demo-headless">
      <button
        type="button"
        className="demo-headless-button"
        data-testid="headless-button"
        aria-disabled={!action}
        onClick={action}
      >
        {state === "connected" && username ? `${LABELS.connected} @${username}` : LABELS[state]}
      </button>
      {state === "connecting" && (
        <button type="button" className="demo-link-button" onClick={ig.cancel}>
          Cancel
        </button>
      )}
      <span className="demo-chip" data-testid="headless-state">
        state: {state}
      </span>
      {ig.error && <span className="demo-muted">code: {ig.error.code}</span>}
    </div>
  );
}
