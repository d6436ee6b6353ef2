import { RATE_LIMIT_HEADERS } from "@instagram-connect/types";
import { errorJson } from "../http/errors.ts";
import type { Failure } from "../http/failure.ts";

/**
 * The answer for a failed read: the contract's error JSON, and for `rate_limited` the same
 * seconds in `retryAfter` and in the `Retry-After` header (the widget shows "try again in N s").
 */
export function readFailureResponse(failure: Failure): Response {
  if (failure.code === "rate_limited" && failure.retryAfter !== undefined) {
    return errorJson(failure, { [RATE_LIMIT_HEADERS.retryAfter]: String(failure.retryAfter) });
  }
  return errorJson(failure);
}
