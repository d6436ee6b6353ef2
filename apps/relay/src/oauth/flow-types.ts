import type { ConnectionMetadata, InstagramScope, OAuthMode, OAuthResult } from "@instagram-connect/types";
import type { HostedFlow } from "../sessions/hosted-result-page.ts";

/** Longest a consent flow (state, binding cookie, attempt) lives: 10 minutes (S1). */
export const FLOW_TTL_MS = 10 * 60 * 1000;

/** How long a completed attempt's result stays collectable (capped by FLOW_TTL_MS). */
export const COMPLETED_ATTEMPT_TTL_MS = 60 * 1000;

/** What the relay remembers about one consent flow, keyed by its flow id (S9). */
export interface FlowRecord {
  flowId: string;
  /** The site's exact origin: the only postMessage target for this flow's result. */
  origin: string;
  mode: OAuthMode;
  attemptId: string;
  /** Redirect mode only. */
  returnTo: string | null;
  scopes: InstagramScope[];
  /** base64url(SHA-256(binding cookie value)): ties the flow to the browser that started it. */
  bindingHash: string;
  createdAt: number;
  expiresAt: number;
  /** Set when the consent was started with a connect session: whose connection it becomes. */
  session?: FlowSession;
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

/** Why consuming a flow failed (logged, never shown: callers all see invalid_state). */
/** Why a state was refused (the `invalid_state` failure's log reason). */
export type ConsumeRefusal = "unknown_or_used" | "expired" | "binding_mismatch";

/** One attempt as stored: the widget's challenge and, once the callback ran, the result. */
export interface AttemptRecord {
  attemptId: string;
  challenge: string;
  expiresAt: number;
  result: OAuthResult | null;
}

/** Outcome of polling an attempt. */
export type AttemptPoll =
  | { status: "missing" }
  | { status: "pending"; expiresAt: number }
  | { status: "complete"; result: OAuthResult };
