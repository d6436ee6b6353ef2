import {
  ERROR_MESSAGES,
  ERROR_STATUS,
  type ErrorBody,
  RATE_LIMIT_HEADERS,
  type RelayError,
} from "@instagram-connect/types";
import type { Failure } from "../result.ts";

/** The public error object for a failure: contract message, no internal reason. */
export function toRelayError(failure: Failure): RelayError {
  const base = { code: failure.code, message: ERROR_MESSAGES[failure.code] };
  switch (failure.code) {
    case "config_error":
      return { ...base, setting: failure.setting };
    case "rate_limited":
      return failure.retryAfter === undefined ? base : { ...base, retryAfter: failure.retryAfter };
    case "invalid_request":
    case "origin_not_allowed":
    case "return_to_not_allowed":
    case "scope_not_allowed":
    case "invalid_state":
    case "invalid_session":
    case "account_mismatch":
    case "access_denied":
    case "code_exchange_failed":
    case "attempt_not_found":
    case "unauthorized":
    case "forbidden":
    case "connection_not_found":
    case "api_key_not_found":
    case "reauth_required":
    case "permission_missing":
    case "instagram_object_not_found":
    case "publish_job_not_found":
    case "idempotency_conflict":
    case "media_invalid":
    case "publishing_limit_reached":
    case "invalid_signed_request":
    case "deletion_not_found":
    case "feed_not_found":
    case "graph_path_not_allowed":
    case "not_found":
    case "method_not_allowed":
    case "payload_too_large":
    case "upstream_error":
    case "upstream_timeout":
    case "internal_error":
      return base;
    default:
      return assertNever(failure);
  }
}

/** Status and JSON body the relay answers a failure with. */
export function toErrorResponse(failure: Failure): { status: number; body: ErrorBody } {
  return { status: ERROR_STATUS[failure.code], body: { error: toRelayError(failure) } };
}

/**
 * The one translation of a failure into a Response: contract status and JSON body,
 * `Cache-Control: no-store` (errors are per request), and for `rate_limited` the body's
 * `retryAfter` seconds repeated in `Retry-After` (the widget shows "try again in N s").
 */
export function errorJson(failure: Failure, headers?: HeadersInit): Response {
  const { status, body } = toErrorResponse(failure);
  const response = Response.json(body, { status, headers });
  response.headers.set("Cache-Control", "no-store");
  if (failure.code === "rate_limited" && failure.retryAfter !== undefined) {
    response.headers.set(RATE_LIMIT_HEADERS.retryAfter, String(failure.retryAfter));
  }
  return response;
}

function assertNever(value: never): never {
  throw new Error(`unhandled failure ${JSON.stringify(value)}`);
}
