import type { ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
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

/** A registered route as Hono lists it (`app.routes`). */
export interface RegisteredRoute {
  method: string;
  path: string;
}

/** Unknown routes: `not_found` JSON. */
export const onNotFound: NotFoundHandler<AppEnv> = () => errorJson({ code: "not_found" });

/**
 * A known path asked with a method it does not have: 405 `method_not_allowed` with `Allow`
 * naming the methods it has, on every route family, before any family's middleware (auth,
 * rate limit) runs. Hono would answer it as not found, so the path is matched here against the
 * registered routes (compiled once, on first use). OPTIONS passes on to the CORS middleware.
 */
export function methodNotAllowed(routes: () => RegisteredRoute[]): MiddlewareHandler<AppEnv> {
  let table: { pattern: RegExp; methods: Set<string> }[] | null = null;
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    table ??= compileRoutes(routes());
    const allowed = new Set<string>();
    for (const entry of table) {
      if (entry.pattern.test(c.req.path)) for (const method of entry.methods) allowed.add(method);
    }
    if (allowed.has("GET")) allowed.add("HEAD");
    if (allowed.size === 0 || allowed.has(c.req.method)) return next();
    return errorJson({ code: "method_not_allowed" }, { Allow: [...allowed].sort().join(", ") });
  };
}

function compileRoutes(routes: RegisteredRoute[]): { pattern: RegExp; methods: Set<string> }[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    // Middleware is registered as ALL (and wildcards); only real handlers name a method.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(
      `^${path
        .split("/")
        .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("/")}/?$`,
    ),
    methods,
  }));
}
