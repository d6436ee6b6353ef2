import type { ConnectionView } from "@instagram-connect/types";
import type { ConnectError } from "./connect-error.ts";

/**
 * What the widget shows: `loading` (not yet known whether a connection is stored: a neutral
 * first render), `idle`, `connecting`, `blocked` (popup blocked: continuing by redirect),
 * `unfinished` (the popup closed without a result), `denied` (declined on Instagram),
 * `rate_limited`, `error` (Instagram or the relay unreachable), `reauth` (access expired or
 * revoked) or `connected`; with a connect session (`@instagram-connect/react/session`) also
 * `session` (its token is unknown, expired or already used).
 */
export type ConnectState =
  | "idle"
  | "loading"
  | "connecting"
  | "connected"
  | "denied"
  | "blocked"
  | "unfinished"
  | "rate_limited"
  | "reauth"
  | "session"
  | "error";

/** Why the widget went back to idle, so that it can say so once. */
export type IdleNote = "cancelled" | "disconnected";

/**
 * The flow's own state: `state` while an attempt runs or after its outcome (absent when the
 * stored connection decides), the outcome's error, when it failed, and a note after going idle.
 */
export interface Machine {
  state?: ConnectState;
  error?: ConnectError;
  at?: number;
  note?: IdleNote | false;
}

/** Everything that moves the flow: a name, or a failure with its error and time. */
export type MachineEvent =
  | "connecting"
  | "blocked"
  | "unfinished"
  | "settled"
  | "cancel"
  | "disconnect"
  | { error: ConnectError; at: number };

/** The state before anything happened. */
export const INITIAL: Machine = {};

const STATE_BY_CODE: Record<string, ConnectState> = {
  access_denied: "denied",
  rate_limited: "rate_limited",
  reauth_required: "reauth",
  // The attempt is gone (expired, or a start the relay refused before recording it).
  attempt_not_found: "unfinished",
};

/** The state an error code leads to. */
export const stateOf = (code: string): ConnectState => STATE_BY_CODE[code] ?? "error";

/** Pure transition function of the connect flow. */
export function reduce(machine: Machine, event: MachineEvent): Machine {
  const running = machine.state === "connecting" || machine.state === "blocked";
  return typeof event === "object"
    ? { state: stateOf(event.error.code), ...event }
    : event === "unfinished"
      ? // Only a running attempt can turn out unfinished; a late signal after an outcome is ignored.
        running
        ? { state: event }
        : machine
      : event === "cancel"
        ? { note: running && "cancelled" }
        : event === "disconnect"
          ? { note: "disconnected" }
          : event === "settled"
            ? INITIAL
            : // An attempt began (`connecting`), or its popup was blocked.
              { state: event };
}

/** What the stored connection's query says, as far as the state is concerned. */
export interface StoredView {
  /** False until storage has been read (server render, first client render). */
  ready: boolean;
  hasHandle: boolean;
  connection: ConnectionView | null;
  error: ConnectError | null;
  errorAt: number;
}

/** What the widget shows, from the flow and the stored connection. */
export interface Derived {
  state: ConnectState;
  /** The error being shown (the flow's, else the stored connection's). */
  error: ConnectError | null;
  /** Epoch ms before which a retry is refused, from the error's `retryAfter`; null without one. */
  retryAt: number | null;
}

/** The visible state: the flow's when it has one, else the stored connection's. */
export function derive(machine: Machine, stored: StoredView): Derived {
  const error = machine.state ? (machine.error ?? null) : stored.error;
  const { connection } = stored;
  return {
    state:
      machine.state ??
      (!stored.ready
        ? "loading"
        : !stored.hasHandle
          ? "idle"
          : error
            ? stateOf(error.code)
            : !connection
              ? "loading"
              : connection.status === "reauth_required"
                ? "reauth"
                : "connected"),
    error,
    retryAt: error?.retryAfter ? (machine.at ?? stored.errorAt) + error.retryAfter * 1000 : null,
  };
}
