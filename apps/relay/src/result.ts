import type { ErrorCode } from "@instagram-connect/types";

/**
 * The relay's one way to report an expected failure. Rule: domain code returns a `Result`;
 * a route translates it once (`errorJson` in http/errors.ts, or `unwrap` to let `app.onError`
 * answer). This module imports nothing from HTTP so every layer may use it.
 */

/**
 * An expected failure, as a value, keyed by the contract's `ErrorCode`. `reason` is for the log
 * line only and never reaches a caller; `setting` names a misconfigured setting (never its
 * value); `retryAfter` (seconds) becomes both the body's `retryAfter` and `Retry-After`.
 */
export type Failure =
  | { code: "config_error"; setting: string; reason?: string }
  | { code: "rate_limited"; retryAfter?: number; reason?: string }
  | { code: Exclude<ErrorCode, "config_error" | "rate_limited">; reason?: string };

/** The outcome of an operation that can fail in an expected way. */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** Wraps a success value. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function fail<T = never>(failure: Failure): Result<T> {
  return { ok: false, failure };
}

/** A Failure thrown through Hono so `app.onError` answers it with its contract status, body and headers. */
export class FailureError extends Error {
  /** The failure to answer. (A plain field: node's type stripping runs this file for scripts/openapi.mjs.) */
  readonly failure: Failure;

  constructor(failure: Failure) {
    super(failure.code);
    this.failure = failure;
    this.name = "FailureError";
  }
}

/** Returns the value or throws the failure for `app.onError` to answer. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new FailureError(result.failure);
  return result.value;
}
