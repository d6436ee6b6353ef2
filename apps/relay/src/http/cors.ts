import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";

const ALLOW_HEADERS = "Authorization, X-Attempt-Verifier";
const ALLOW_METHODS = "GET, DELETE, OPTIONS";

/**
 * CORS for the widget's routes (attempt polling, connection reads): the site's origin must be
 * exactly in ALLOWED_ORIGINS; `Vary: Origin` always, since the answer depends on it (S16).
 * No credentials mode: the widget authenticates with a bearer credential, not cookies.
 */
export const widgetCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origin = c.req.header("Origin");
  const allowed = origin !== undefined && c.get("config").oauth.allowedOrigins.includes(origin);
  if (c.req.method === "OPTIONS") {
    const headers = new Headers({ Vary: "Origin" });
    if (allowed) {
      headers.set("Access-Control-Allow-Origin", origin);
      headers.set("Access-Control-Allow-Methods", ALLOW_METHODS);
      headers.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
      headers.set("Access-Control-Max-Age", "600");
    }
    return new Response(null, { status: 204, headers });
  }
  await next();
  c.res.headers.append("Vary", "Origin");
  if (allowed) c.res.headers.set("Access-Control-Allow-Origin", origin);
};
