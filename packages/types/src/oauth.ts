import type { ConnectionHandle, ConnectionView } from "./connection.ts";
import type { RelayError } from "./errors.ts";
import type { InstagramScope } from "./scopes.ts";

/** How the consent result travels back: a popup posting to its opener, or a full-page redirect. */
export type OAuthMode = "popup" | "redirect";

/**
 * Query parameters of `GET /v1/oauth/start` (all strings on the wire).
 * The widget makes a secret `verifier` per attempt, asks the relay for an `attemptId` bound to
 * `challenge = base64url(SHA-256(verifier))` (`POST /v1/oauth/attempts`), and sends both here;
 * the verifier later proves it owns the attempt.
 */
export interface OAuthStartParams {
  /** The site's exact origin (scheme://host[:port]); must be in the relay's allowlist. */
  origin: string;
  /** Comma-separated scopes, each allowed by the relay. Defaults to `instagram_business_basic`. */
  scopes?: string;
  mode: OAuthMode;
  /** The relay-issued id from `POST /v1/oauth/attempts` for this challenge (50 chars of base64url). */
  attemptId: string;
  /** base64url(SHA-256(verifier)), 43 chars. */
  challenge: string;
  /** Redirect mode only: where to send the browser back; exact match against the allowlist. */
  returnTo?: string;
  /** "1" to make Instagram ask for credentials again (switch account). */
  forceLogin?: "0" | "1";
}

/** The outcome of one consent attempt, as seen by the widget. */
export type OAuthResult =
  | {
      ok: true;
      handle: ConnectionHandle;
      connection: ConnectionView;
      /** Compact JWS the site's server verifies offline (`verifyConnectReceipt`); absent when the relay has no signing key. */
      receipt?: string;
    }
  | { ok: false; error: RelayError };

/** `type` of the message the callback popup posts to its opener. */
export const OAUTH_MESSAGE_TYPE = "instagram-connect:oauth-result" as const;

/** The message the callback page posts to `window.opener` (targetOrigin = the site origin). */
export interface OAuthResultMessage {
  type: typeof OAUTH_MESSAGE_TYPE;
  version: 1;
  attemptId: string;
  result: OAuthResult;
}

/**
 * Response of `POST /v1/oauth/attempts` (form body `verifier=<43-128 base64url chars>`, or
 * `challenge=<base64url(SHA-256(verifier))>` to keep the verifier to oneself): an attempt id the
 * relay MAC'd over the challenge, usable for a start until `expiresAt`.
 */
export interface AttemptIssuedResponse {
  attemptId: string;
  /** base64url(SHA-256(verifier)): what the start carries beside the id. */
  challenge: string;
  /** ISO 8601; the start must happen before it, and polling ends with it. */
  expiresAt: string;
}

/** Header carrying the attempt verifier when polling an attempt. */
export const ATTEMPT_VERIFIER_HEADER = "X-Attempt-Verifier" as const;

/**
 * Response of `GET /v1/oauth/attempts/:attemptId` (with the verifier header).
 * `pending` until the callback ran; `complete` is returned once, then the attempt is gone.
 */
export type AttemptResponse =
  | { status: "pending"; expiresAt: string }
  | { status: "complete"; result: OAuthResult };

/** Query parameter added to `returnTo` in redirect mode; its value is the attempt id. */
export const RETURN_ATTEMPT_PARAM = "ic_attempt" as const;

/** Scopes requested when the widget asks for none. */
export const DEFAULT_SCOPES: InstagramScope[] = ["instagram_business_basic"];
