import type { Failure } from "../result.ts";

/** Which call failed: the code exchange reports OAuth errors as code_exchange_failed. */
export type UpstreamStep = "code_exchange" | "token_upgrade" | "token_refresh" | "graph";

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 368, 613, 80002]);

// Publishing errors that mean "fix the media or caption" (error-codes reference,
// ../shared/instagram-api-actions.md §1.7): URL not fetchable, format, size, ratio, caption, carousel.
const MEDIA_INVALID_CODES = new Set([352, 9004, 36000, 36001, 36003, 36004]);
const MEDIA_INVALID_SUBCODES = new Set([
  2207004, 2207005, 2207009, 2207010, 2207023, 2207026, 2207028, 2207040, 2207052, 2207057, 2207089,
]);

/**
 * Classifies an Instagram error answer by its body's error code, never by HTTP status alone
 * (Graph errors arrive as 400). Knows the Graph shape `{ error: { code, type } }` and the flat
 * OAuth shape `{ error_type, code, error_message }`. Provider text never reaches the caller.
 */
export function classifyUpstreamError(step: UpstreamStep, status: number, body: unknown): Failure {
  const { code, type, subcode } = errorFields(body);
  const reason = `${step}:http_${status}:code_${code ?? "none"}:${type ?? "none"}${subcode ? `:sub_${subcode}` : ""}`;
  if (code === 190) return { code: "reauth_required", reason };
  // Another account's media or comment reads as "does not exist" (code 100, subcode 33).
  if (code === 100 && subcode === 33) return { code: "instagram_object_not_found", reason };
  if (code === 9 && subcode === 2207042) return { code: "publishing_limit_reached", reason };
  if (
    (code !== undefined && MEDIA_INVALID_CODES.has(code)) ||
    (subcode && MEDIA_INVALID_SUBCODES.has(subcode))
  ) {
    return { code: "media_invalid", reason };
  }
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

function errorFields(body: unknown): { code?: number; type?: string; subcode?: number } {
  if (typeof body !== "object" || body === null) return {};
  const inner = "error" in body && typeof body.error === "object" && body.error !== null ? body.error : body;
  const code = "code" in inner ? Number(inner.code) : Number.NaN;
  const typeValue = "type" in inner ? inner.type : "error_type" in inner ? inner.error_type : undefined;
  const subcode = "error_subcode" in inner ? Number(inner.error_subcode) : Number.NaN;
  return {
    ...(Number.isInteger(code) ? { code } : {}),
    ...(Number.isInteger(subcode) ? { subcode } : {}),
    ...(typeof typeValue === "string" ? { type: typeValue } : {}),
  };
}
