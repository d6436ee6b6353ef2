import type { ConnectionMetadata, InstagramScope, OAuthMode, OAuthResult } from "@instagram-connect/types";
import type { HostedFlow } from "../sessions/hosted-result-page.ts";

/** Longest a consent flow (state, binding cookie, attempt) lives: 10 minutes (S1). */
export const FLOW_TTL_MS = 10 * 60 * 1000;

/** How long a completed attempt's result stays collectable (capped by FLOW_TTL_MS). */
export const COMPLETED_ATTEMPT_TTL_MS = 60 * 1000;

/**
 * One consent flow, sealed into its browser's binding cookie (flow-state.ts) instead of stored:
 * a start touches no Durable Object (issue 17 goal 3). Single use is enforced at the callback by
 * the attempt's object (`claim`), S1/S2.
 */
export interface FlowRecord {
  flowId: string;
  /** The site's exact origin: the only postMessage target for this flow's result. */
  origin: string;
  mode: OAuthMode;
  /** A relay-issued attempt id (attempt-id.ts), verified at the start. */
  attemptId: string;
  /** Redirect mode only. */
  returnTo: string | null;
  scopes: InstagramScope[];
  createdAt: number;
  /** The earlier of start + FLOW_TTL_MS and the attempt's own expiry. */
  expiresAt: number;
  /** Set when the consent was started with a connect session; its details wait in the attempt's object. */
  sessionId: string | null;
  /** Set when it was started from a hosted connect link: it ends on the relay's result page. */
  hosted?: HostedFlow;
}

/** The connect session a flow was started with (copied from it; the token itself is not kept). */
export interface FlowSession {
  sessionId: string;
  endUserId: string;
  metadata: ConnectionMetadata | null;
  reconnectConnectionId: string | null;
}

/** Why a callback's flow was refused (the `invalid_state` failure's log reason). */
export type ConsumeRefusal = "unknown_or_used" | "expired" | "binding_mismatch" | "session_mismatch";

/**
 * One attempt as its Durable Object stores it, from the first write (a session start or the
 * callback's claim) on. Before that the attempt exists only as its MAC'd id and reads as pending.
 */
export interface AttemptRecord {
  /** The flow that claimed the attempt at its callback (at most one, ever). */
  claimedBy: string | null;
  /** The connect session a session start attached (its flow must name the same session id). */
  session: FlowSession | null;
  /** Until when the result (or the pending state) can be polled. */
  expiresAt: number;
  result: OAuthResult | null;
  /** True once the result was handed out or expired: the attempt then reads as unknown. */
  done: boolean;
}

/** Outcome of polling an attempt. */
export type AttemptPoll =
  | { status: "missing" }
  | { status: "pending"; expiresAt: number }
  | { status: "complete"; result: OAuthResult };
