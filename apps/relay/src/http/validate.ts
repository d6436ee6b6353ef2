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
