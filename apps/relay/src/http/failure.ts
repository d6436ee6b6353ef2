import type { ErrorCode } from "@instagram-connect/types";

/**
 * An expected failure, as a value. `reason` is for the log line only and never reaches a
 * caller; `setting` names a misconfigured setting (never its value).
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

/** A Failure thrown through Hono so `app.onError` answers it with its contract status and body. */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.code);
    this.name = "FailureError";
  }
}

/** Returns the value or throws the failure for `app.onError` to answer. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new FailureError(result.failure);
  return result.value;
}
