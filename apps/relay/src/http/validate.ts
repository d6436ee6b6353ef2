import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type * as z from "zod/mini";
import { FailureError } from "../result.ts";

/**
 * Parses request input with its schema or throws `invalid_request` (400) for `app.onError`.
 * The log reason names the failing fields and issue codes, never the values.
 */
export function validated<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}:${issue.code}`);
  throw new FailureError({ code: "invalid_request", reason: `${what}:${issues.join(",")}` });
}

/**
 * Hono's `bodyLimit` (declared and streamed size) refusing with 413 `payload_too_large` through
 * `app.onError` (`reason` in its log line): for routes whose whole body is one small JSON document.
 */
export function jsonBodyLimit(maxSize: number, reason: string) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new FailureError({ code: "payload_too_large", reason });
    },
  });
}

/** The request body parsed as JSON, or `invalid_request` (400) when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new FailureError({ code: "invalid_request", reason: "body:not_json" });
  }
}
