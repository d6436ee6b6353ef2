import type { MiddlewareHandler } from "hono";

/** HSTS and nosniff on every response, errors and 404s included (S17). */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  c.res.headers.set("X-Content-Type-Options", "nosniff");
};

/** Headers of an answer no cache may keep: credentials, tokens, per-user or per-app data. */
export const NO_STORE = { "Cache-Control": "no-store" };

/** Headers for every HTML page the relay serves (S8): no framing, no caching, no referrer, no forms unless listed. */
export function htmlPageHeaders(nonce: string, formAction: readonly string[] = []): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "img-src 'none'",
      "base-uri 'none'",
      // Only a page with a form widens this; Chromium also checks a form's redirects against it.
      `form-action ${formAction.length > 0 ? formAction.join(" ") : "'none'"}`,
      "frame-ancestors 'none'",
    ].join("; "),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
  };
}
