/**
 * Every error the relay can answer with, as a stable machine-readable code;
 * `ERROR_MESSAGES` holds a default human text for each (clients may localise by code).
 */
export type ErrorCode =
  | "invalid_request"
  | "origin_not_allowed"
  | "return_to_not_allowed"
  | "scope_not_allowed"
  | "invalid_state"
  | "invalid_session"
  | "access_denied"
  | "code_exchange_failed"
  | "attempt_not_found"
  | "unauthorized"
  | "forbidden"
  | "connection_not_found"
  | "api_key_not_found"
  | "reauth_required"
  | "account_mismatch"
  | "permission_missing"
  | "instagram_object_not_found"
  | "publish_job_not_found"
  | "idempotency_conflict"
  | "media_invalid"
  | "publishing_limit_reached"
  | "rate_limited"
  | "invalid_signed_request"
  | "deletion_not_found"
  | "feed_not_found"
  | "graph_path_not_allowed"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "upstream_error"
  | "upstream_timeout"
  | "config_error"
  | "internal_error";

/** The default human message for each error code. */
export const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  invalid_request: "The request is missing a parameter or has one that is not valid.",
  origin_not_allowed: "This site is not allowed to use this relay.",
  return_to_not_allowed: "The return address is not allowed for this relay.",
  scope_not_allowed: "One of the requested Instagram permissions is not allowed by this relay.",
  invalid_state:
    "This sign-in link is no longer valid. It may have expired, been used already, or been opened in another browser. Please start again.",
  invalid_session:
    "This connect session is unknown, expired, already used or not valid for this site. Ask the site for a new one.",
  access_denied: "The Instagram account owner did not allow access.",
  code_exchange_failed: "Instagram did not accept the sign-in. Please try connecting again.",
  attempt_not_found: "This connection attempt is unknown or has expired.",
  unauthorized: "Missing or invalid credentials.",
  forbidden: "These credentials are not allowed to do this.",
  connection_not_found: "The connection does not exist or was disconnected.",
  api_key_not_found: "No API key has this id.",
  reauth_required: "The Instagram connection has expired or was revoked. Please reconnect.",
  account_mismatch:
    "You signed in to a different Instagram account than the one to reconnect. Sign in to that account and try again.",
  permission_missing: "The Instagram account did not grant the permission this needs.",
  instagram_object_not_found:
    "The Instagram media or comment does not exist or does not belong to this connection's account.",
  publish_job_not_found: "No publishing job with this id exists for this connection.",
  idempotency_conflict: "This Idempotency-Key was already used with a different request body.",
  media_invalid: "The media or its caption does not meet Instagram's publishing requirements.",
  publishing_limit_reached: "The account reached Instagram's publishing limit. Please try again later.",
  rate_limited: "Too many requests. Please try again later.",
  invalid_signed_request: "The signed request is missing, malformed, stale or not signed by this app.",
  deletion_not_found: "No data deletion request has this confirmation code.",
  feed_not_found: "The feed does not exist or was deleted.",
  graph_path_not_allowed: "This Instagram Graph path or field is not allowed through the relay.",
  not_found: "No such route.",
  method_not_allowed: "This method is not allowed on this route.",
  payload_too_large: "The request body is too large.",
  upstream_error: "Instagram answered with an error. Please try again later.",
  upstream_timeout: "Instagram did not answer in time. Please try again later.",
  config_error: "The relay is not configured correctly.",
  internal_error: "Something went wrong on the relay.",
};

/** All error codes, in a stable order. */
// Marked pure so a bundler drops it, and with it ERROR_MESSAGES, from apps that never read either
// (the widget): a bare top-level call may have side effects, so it would be kept.
export const ERROR_CODES: readonly ErrorCode[] = /* @__PURE__ */ Object.keys(ERROR_MESSAGES) as ErrorCode[];

/** The HTTP status the relay answers each error code with. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  origin_not_allowed: 400,
  return_to_not_allowed: 400,
  scope_not_allowed: 400,
  invalid_state: 400,
  invalid_session: 401,
  access_denied: 403,
  code_exchange_failed: 400,
  attempt_not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  connection_not_found: 404,
  api_key_not_found: 404,
  reauth_required: 409,
  account_mismatch: 409,
  permission_missing: 403,
  instagram_object_not_found: 404,
  publish_job_not_found: 404,
  idempotency_conflict: 409,
  media_invalid: 400,
  publishing_limit_reached: 429,
  rate_limited: 429,
  invalid_signed_request: 400,
  deletion_not_found: 404,
  feed_not_found: 404,
  graph_path_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  upstream_error: 502,
  upstream_timeout: 504,
  config_error: 500,
  internal_error: 500,
};

/** The error object inside every error response body. */
export interface RelayError {
  code: ErrorCode;
  message: string;
  /** Seconds until a retry can succeed (rate_limited only). */
  retryAfter?: number;
  /** Name of the misconfigured setting (config_error only; never its value). */
  setting?: string;
}

/** The body of every non-2xx JSON response from the relay. */
export interface ErrorBody {
  error: RelayError;
}

/** True when `code` is one of the contract's error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_MESSAGES, code);
}

/** True when `value` is an error response body from the relay. */
export function isRelayError(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    isErrorCode((error as { code?: unknown }).code) &&
    typeof (error as { message?: unknown }).message === "string"
  );
}
