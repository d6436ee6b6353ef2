import type { ConnectionView } from "@instagram-connect/types";
import type { ConnectError } from "./connect-error.ts";

/**
 * The connect widget's state machine, without React: `useInstagramConnect` dispatches what
 * happened (a click started a flow, the popup was blocked, the flow failed or settled, the
 * user cancelled or disconnected) and derives what to show from the flow plus the stored
 * connection's query. Pure, so every transition is tested without rendering.
 */

/**
 * What the widget shows: `idle`, `loading` (checking a stored connection), `connecting`,
 * `connected`, `denied` (the user said no), `blocked` (popup blocked: continuing by redirect),
 * `rate_limited`, `reauth` (token expired or revoked) or `error` (network or relay failure).
 */
export type ConnectState =
  | "idle"
  | "loading"
  | "connecting"
  | "connected"
  | "denied"
  | "blocked"
  | "rate_limited"
  | "reauth"
  | "error";

/** A connect flow in progress or just failed; null when none (then the stored connection rules). */
export type Flow = { state: ConnectState; error?: ConnectError; at?: number } | null;

/** What happened to the flow. */
export type FlowAction =
  | { type: "started" }
  | { type: "blocked" }
  | { type: "failed"; error: ConnectError; at: number }
  | { type: "finished" };

const STATE_BY_CODE: Record<string, ConnectState> = {
  access_denied: "denied",
  rate_limited: "rate_limited",
  reauth_required: "reauth",
};

/** The state an error code puts the widget in. */
export const stateOf = (code: string): ConnectState => STATE_BY_CODE[code] ?? "error";

/** The next flow. `finished` covers success, cancel and disconnect: the stored connection rules again. */
export function flowReducer(_flow: Flow, action: FlowAction): Flow {
  switch (action.type) {
    case "started":
      return { state: "connecting" };
    case "blocked":
      return { state: "blocked" };
    case "failed":
      return { state: stateOf(action.error.code), error: action.error, at: action.at };
    case "finished":
      return null;
  }
}

/** Anything thrown without a code (no WebCrypto on an insecure page, ...) is a network_error. */
export function toConnectError(error: unknown): ConnectError {
  return (error as ConnectError)?.code
    ? (error as ConnectError)
    : { code: "network_error", message: `${error}` };
}

/** What the stored connection's query currently says. */
export interface StoredConnection {
  /** Whether a connection handle is stored. */
  hasHandle: boolean;
  data: ConnectionView | null | undefined;
  error: ConnectError | null;
  /** When `error` was last updated (epoch ms), for `retryAt`. */
  errorUpdatedAt: number;
}

/** What the widget shows. */
export interface ConnectView {
  state: ConnectState;
  connection: ConnectionView | null;
  error: ConnectError | null;
  /** Epoch ms before which `retry()` does nothing (rate_limited only). */
  retryAt: number | null;
}

/** The view: a running or failed flow wins; otherwise the stored connection's query decides. */
export function deriveView(flow: Flow, stored: StoredConnection): ConnectView {
  const { error } = stored;
  const connection = (stored.hasHandle && stored.data) || null;
  let state = flow?.state ?? "idle";
  if (!flow && stored.hasHandle) {
    state = error ? stateOf(error.code) : connection ? "connected" : "loading";
    if (connection?.status === "reauth_required") state = "reauth";
  }
  const current = flow?.error ?? error ?? null;
  const retryAt = current?.retryAfter
    ? (flow?.at ?? stored.errorUpdatedAt) + current.retryAfter * 1000
    : null;
  return { state, connection, error: current, retryAt };
}

/** What `retry()` does: nothing before `retryAt`, re-check a stored connection, or connect again. */
export function retryPlan(
  flow: Flow,
  view: ConnectView,
  storedError: ConnectError | null,
  nowMs: number,
): "wait" | "refetch" | "connect" {
  if (view.retryAt && nowMs < view.retryAt) return "wait";
  if (!flow && storedError && view.state !== "reauth") return "refetch";
  return "connect";
}
