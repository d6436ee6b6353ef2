import type { ApiOperation } from "@instagram-connect/types";
import type { MiddlewareHandler } from "hono";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import type { ApiEnv } from "./api-env.ts";
import { cachedApiKey, rememberApiKey } from "./api-key-cache.ts";
import { apiKeyId, hashApiKey } from "./api-key-format.ts";
import { readApiKey } from "./api-key-store.ts";

const UNAUTHORIZED_HEADERS = { "WWW-Authenticate": 'Bearer realm="instagram-connect-api"' };

/**
 * Authenticates `Authorization: Bearer <api key>` (S14): the stored SHA-256 is compared in
 * constant time; unknown, malformed, wrong and revoked keys all answer the same 401 and the
 * log line says which (by key id only). A key in the query string is refused outright.
 */
export const apiKeyAuth: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (keyInUrl(c.req.url)) {
    logEvent("warn", "api_key_refused", { reason: "key_in_url" });
    return errorJson({ code: "invalid_request", reason: "api_key_in_url" });
  }
  const presented = /^Bearer (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1] ?? "";
  const keyId = apiKeyId(presented);
  const hash = await hashApiKey(presented);
  // A live key verified in this isolate within API_KEY_CACHE_TTL_MS skips the KV read (api-key-cache.ts).
  const cached = keyId ? cachedApiKey(keyId, hash, now()) : null;
  if (cached) {
    c.set("apiKey", cached);
    return next();
  }
  const record = keyId ? await readApiKey(c.env.CONNECTIONS, keyId) : null;
  const matches = record !== null && constantTimeEqual(hash, record.hash);
  if (!record || !matches || record.revoked) {
    const reason = !keyId ? "malformed" : !record ? "unknown_key" : !matches ? "wrong_secret" : "revoked";
    logEvent("warn", "api_key_refused", { keyId, reason });
    return errorJson({ code: "unauthorized", reason }, UNAUTHORIZED_HEADERS);
  }
  rememberApiKey(record, now());
  c.set("apiKey", record);
  await next();
};

/** Lets the request through only when the key lists `operation` (403 `forbidden` otherwise). */
export function requireOperation(operation: ApiOperation): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = c.get("apiKey");
    if (!key.operations.includes(operation)) {
      logEvent("warn", "api_operation_refused", { keyId: key.keyId, operation });
      return errorJson({ code: "forbidden", reason: `missing_operation:${operation}` });
    }
    await next();
  };
}

function keyInUrl(url: string): boolean {
  for (const value of new URL(url).searchParams.values()) if (apiKeyId(value)) return true;
  return /key_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/.test(decodeURIComponent(new URL(url).pathname));
}
