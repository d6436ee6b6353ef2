import type { ErrorHandler, NotFoundHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { logEvent } from "../log.ts";
import { FailureError } from "../result.ts";
import { errorJson } from "./errors.ts";

/**
 * Expected failures thrown as FailureError get their contract answer; anything else is a
 * generic 500 with no internal text (the log line keeps only the error's name).
 */
export const onError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof FailureError) {
    const { failure } = error;
    logEvent(failure.code === "config_error" ? "error" : "warn", "request_failed", {
      route: c.req.path,
      code: failure.code,
      reason: failure.reason,
      setting: failure.code === "config_error" ? failure.setting : undefined,
    });
    return errorJson(failure);
  }
  logEvent("error", "unexpected_error", { route: c.req.path, name: error.name });
  return errorJson({ code: "internal_error" });
};

/** Unknown routes: `not_found` JSON. */
export const onNotFound: NotFoundHandler<AppEnv> = () => errorJson({ code: "not_found" });
