// The "states" page: every state of <InstagramConnect> side by side, in the light and dark themes,
// so site owners can see them before adopting the widget (and the e2e suite can check them all at
// once: axe, contrast, screenshots). Each card renders the real view with a fixed controller.
import "@instagram-connect/react/styles.css";
import "./demo.css";
import {
  type ConnectState,
  type InstagramConnectController,
  type InstagramConnectTheme,
  InstagramConnectView,
} from "@instagram-connect/react";
import { SESSION_LABELS } from "@instagram-connect/react/session";
import type { ConnectionView } from "@instagram-connect/types";
import { StrictMode, useEffect, useRef } from "react";
import { createRoot } from "react-dom/client";

// A local picture, so the page needs no network.
const AVATAR =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' fill='%23835'/%3E%3Ccircle cx='16' cy='13' r='6' fill='%23fcd'/%3E%3C/svg%3E";

const connection = (username: string, status: ConnectionView["status"] = "active"): ConnectionView => ({
  id: "conn_demo",
  status,
  profile: {
    id: "1",
    userId: "2",
    username,
    name: "Demo",
    accountType: "BUSINESS",
    profilePictureUrl: AVATAR,
    followersCount: 1,
    followsCount: 1,
    mediaCount: 1,
  },
  scopes: ["instagram_business_basic"],
  tokenExpiresAt: "2027-01-01T00:00:00.000Z",
  connectedAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

interface Example {
  id: string;
  title: string;
  state: ConnectState;
  connection?: ConnectionView;
  note?: InstagramConnectController["note"];
  retryIn?: number;
  /** Opens the disconnect confirmation once shown. */
  confirm?: boolean;
}

/** Every state a visitor can meet, in the order they may meet them. */
export const EXAMPLES: Example[] = [
  { id: "loading", title: "Checking a stored connection (first render)", state: "loading" },
  { id: "idle", title: "Idle", state: "idle" },
  { id: "connecting", title: "Connecting (popup open)", state: "connecting" },
  { id: "blocked", title: "Popup blocked: continuing in this tab", state: "blocked" },
  { id: "unfinished", title: "Popup closed without a result", state: "unfinished" },
  { id: "denied", title: "Declined on Instagram", state: "denied" },
  { id: "error", title: "Instagram unreachable", state: "error" },
  { id: "session", title: "Connect session expired or used", state: "session" },
  { id: "rate_limited", title: "Rate limited (live countdown)", state: "rate_limited", retryIn: 42 },
  {
    id: "reauth",
    title: "Access expired",
    state: "reauth",
    connection: connection("jane.doe", "reauth_required"),
  },
  { id: "connected", title: "Connected", state: "connected", connection: connection("jane.doe") },
  {
    id: "long",
    title: "Connected, long username",
    state: "connected",
    connection: connection("a_very_long_username_29_chars"),
  },
  {
    id: "confirm",
    title: "Disconnect: confirmation",
    state: "connected",
    connection: connection("jane.doe"),
    confirm: true,
  },
  { id: "cancelled", title: "Cancelled", state: "idle", note: "cancelled" },
  { id: "disconnected", title: "Disconnected", state: "idle", note: "disconnected" },
];

const noop = () => {};

function Card({ example, theme }: { example: Example; theme: InstagramConnectTheme }) {
  const card = useRef<HTMLElement>(null);
  // The retry time is fixed once per card, so the countdown runs live.
  const retryAt = useRef(example.retryIn ? Date.now() + example.retryIn * 1000 : null);
  useEffect(() => {
    if (example.confirm) card.current?.querySelector<HTMLButtonElement>(".ic-secondary")?.click();
  }, [example.confirm]);
  return (
    <section
      ref={card}
      className={`demo-state demo-state-${theme}`}
      data-example={example.id}
      data-theme={theme}
    >
      <h3>{example.title}</h3>
      <InstagramConnectView
        theme={theme}
        // The session state's text comes with the session entry (`@instagram-connect/react/session`).
        labels={SESSION_LABELS}
        controller={{
          state: example.state,
          connection: example.connection ?? null,
          note: example.note ?? null,
          retryAt: retryAt.current,
          connect: noop,
          cancel: noop,
          disconnect: noop,
          retry: noop,
        }}
      />
    </section>
  );
}

function States() {
  return (
    <main className="demo demo-states">
      <header className="demo-header">
        <h1>Every state of the widget</h1>
        <p className="demo-lede">
          <code>{"<InstagramConnect>"}</code> in each state it can show, with the light and dark themes. The
          default theme, <code>auto</code>, follows the visitor's system setting.
        </p>
      </header>
      {(["light", "dark"] as const).map((theme) => (
        <section key={theme} aria-labelledby={`theme-${theme}`}>
          <h2 id={`theme-${theme}`}>{theme === "light" ? "Light theme" : "Dark theme"}</h2>
          <div className="demo-state-grid">
            {EXAMPLES.map((example) => (
              <Card key={example.id} example={example} theme={theme} />
            ))}
          </div>
        </section>
      ))}
    </main>
  );
}

const root = document.getElementById("root");
if (!root) throw new Error("states.html has no #root");
createRoot(root).render(
  <StrictMode>
    <States />
  </StrictMode>,
);
