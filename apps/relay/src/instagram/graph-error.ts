import type { Failure } from "../result.ts";

/** Which call failed: the code exchange reports OAuth errors as code_exchange_failed. */
export type UpstreamStep = "code_exchange" | "token_upgrade" | "token_refresh" | "graph";

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 368, 613, 80002]);

/**
 * Classifies an Instagram error answer by its body's error code, never by HTTP status alone
 * (Graph errors arrive as 400). Knows the Graph shape `{ error: { code, type } }` and the flat
 * OAuth shape `{ error_type, code, error_message }`. Provider text never reaches the caller.
 */
export function classifyUpstreamError(step: UpstreamStep, status: number, body: unknown): Failure {
  const { code, type } = errorFields(body);
  const reason = `${step}:http_${status}:code_${code ?? "none"}:${type ?? "none"}`;
  if (code === 190) return { code: "reauth_required", reason };
  if (code === 10 || code === 3 || (code !== undefined && code >= 200 && code <= 299)) {
    return { code: "permission_missing", reason };
  }
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return { code: "rate_limited", reason };
  // Graph's "invalid parameter" on a data read is about what the caller sent (an unknown paging
  // cursor, a field or id Graph refuses): the caller's mistake, not an upstream failure.
  if (step === "graph" && code === 100 && status < 500) return { code: "invalid_request", reason };
  if (status >= 500) return { code: "upstream_error", reason };
  if (step === "code_exchange" && (type !== undefined || code !== undefined)) {
    return { code: "code_exchange_failed", reason };
  }
  return { code: "upstream_error", reason };
}

function errorFields(body: unknown): { code?: number; type?: string } {
  if (typeof body !== "object" || body === null) return {};
  const inner = "error" in body && typeof body.error === "object" && body.error !== null ? body.error : body;
  const code = "code" in inner ? Number(inner.code) : Number.NaN;
  const typeValue = "type" in inner ? inner.type : "error_type" in inner ? inner.error_type : undefined;
  return {
    ...(Number.isInteger(code) ? { code } : {}),
    ...(typeof typeValue === "string" ? { type: typeValue } : {}),
  };
}
