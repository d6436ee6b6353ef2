import type { ConnectionView } from "@instagram-connect/types";
import type { ConnectError } from "./connect-error.ts";

/**
 * What the widget shows: `loading` (not yet known whether a connection is stored: a neutral
 * first render), `idle`, `connecting`, `blocked` (popup blocked: continuing by redirect),
 * `unfinished` (the popup closed without a result), `denied` (declined on Instagram),
 * `rate_limited`, `error` (Instagram or the relay unreachable), `reauth` (access expired or
 * revoked) or `connected`.
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
  | "error";

/** Why the widget went back to idle, so that it can say so once. */
export type IdleNote = "cancelled" | "disconnected";

/** The flow's own state: an attempt in progress or its outcome; null when the stored connection decides. */
export interface MachineState {
  flow: { state: ConnectState; error?: ConnectError; at?: number } | null;
  note: IdleNote | null;
}

/** Everything that moves the flow. */
export type MachineEvent =
  | { type: "start" }
  | { type: "blocked" }
  | { type: "unfinished" }
  | { type: "fail"; error: ConnectError; at: number }
  | { type: "settled" }
  | { type: "cancel" }
  | { type: "disconnect" };

/** The state before anything happened. */
export const INITIAL: MachineState = { flow: null, note: null };

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
export function reduce(machine: MachineState, event: MachineEvent): MachineState {
  const running = machine.flow?.state === "connecting" || machine.flow?.state === "blocked";
  switch (event.type) {
    case "start":
      return { flow: { state: "connecting" }, note: null };
    case "blocked":
      return { flow: { state: "blocked" }, note: null };
    case "unfinished":
      // Only a running attempt can turn out unfinished; a late signal after an outcome is ignored.
      return running ? { flow: { state: "unfinished" }, note: null } : machine;
    case "fail":
      return {
        flow: { state: stateOf(event.error.code), error: event.error, at: event.at },
        note: null,
      };
    case "settled":
      return INITIAL;
    case "cancel":
      return { flow: null, note: running ? "cancelled" : null };
    case "disconnect":
      return { flow: null, note: "disconnected" };
  }
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

/** The visible state: the flow's when it has one, else the stored connection's. */
export function deriveState({ flow }: MachineState, stored: StoredView): ConnectState {
  if (flow) return flow.state;
  if (!stored.ready) return "loading";
  if (!stored.hasHandle) return "idle";
  if (stored.error) return stateOf(stored.error.code);
  if (!stored.connection) return "loading";
  return stored.connection.status === "reauth_required" ? "reauth" : "connected";
}

/** The error being shown (the flow's, else the stored connection's). */
export const currentError = ({ flow }: MachineState, stored: StoredView): ConnectError | null =>
  flow?.error ?? (flow ? null : stored.error);

/** Epoch ms before which a retry is refused, from the error's `retryAfter`; null without one. */
export function retryAtOf({ flow }: MachineState, stored: StoredView): number | null {
  const error = flow?.error ?? (flow ? null : stored.error);
  return error?.retryAfter ? (flow?.at ?? stored.errorAt) + error.retryAfter * 1000 : null;
}
