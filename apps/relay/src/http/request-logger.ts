import type { MiddlewareHandler } from "hono";
import { logEvent } from "../log.ts";

/**
 * One log line per request, replacing Workers' invocation logs (off in wrangler.jsonc because
 * they record each URL verbatim): method, path and query through `redactSecrets` (in
 * `logEvent`), status. Keys, credentials and codes a client puts in a URL never reach the log.
 */
export const requestLogger: MiddlewareHandler = async (c, next) => {
  await next();
  const url = new URL(c.req.url);
  logEvent(c.res.status >= 500 ? "error" : "info", "request", {
    method: c.req.method,
    path: `${url.pathname}${url.search}`,
    status: c.res.status,
    country: countryOf(c.req.raw),
  });
};

function countryOf(request: Request): string | null {
  const cf = (request as { cf?: { country?: unknown } }).cf;
  return typeof cf?.country === "string" ? cf.country : null;
}
