import {
  ADMIN_ROUTES,
  type ApiKeyListResponse,
  type CreateApiKeyResponse,
  type RevokeApiKeyResponse,
} from "@instagram-connect/types";
import { Hono } from "hono";
import { createApiKey, listApiKeys, revokeApiKey, toApiKeyView } from "../api/api-key-store.ts";
import { kvCursorRead } from "../api/connection-list.ts";
import type { AppEnv } from "../app-env.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { jsonBody, jsonBodyLimit, validated } from "../http/validate.ts";
import { logEvent } from "../log.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import {
  apiKeyParamsSchema,
  createApiKeySchema,
  DEFAULT_PAGE_LIMIT,
  pageQuerySchema,
} from "../request-schemas.ts";
import { FailureError } from "../result.ts";
import { adminAuth } from "./admin-auth.ts";

/** A create body is a name and a few operation names; anything bigger is not ours. */
const MAX_BODY_BYTES = 4096;

/**
 * API key management under `/v1/admin` (API.md "Admin API"): per-IP `admin` rate limit (fails
 * closed, it guards a secret check; runs first so guessing is slow), then the admin secret
 * (404 when the relay has none), then validation. Never CORS: only servers and the CLI call it.
 * Every change writes an `admin.*` audit log line with the key id and name, never the key.
 */
export const adminRoutes = new Hono<AppEnv>()
  .use("/v1/admin/*", rateLimit<AppEnv>({ family: "admin", key: clientIpKey, failMode: "closed" }))
  .use("/v1/admin/*", adminAuth)
  .post(ADMIN_ROUTES.apiKeys, jsonBodyLimit(MAX_BODY_BYTES, "admin_body"), async (c) => {
    const input = validated(createApiKeySchema, await jsonBody(c), "body");
    const { apiKey, record } = await createApiKey(c.env.CONNECTIONS, input);
    logEvent("info", "admin.api_key_created", {
      keyId: record.keyId,
      name: record.name,
      operations: record.operations.join(","),
    });
    const answer: CreateApiKeyResponse = { apiKey, key: toApiKeyView(record) };
    return c.json(answer, 201, { ...NO_STORE, Pragma: "no-cache" });
  })
  .get(ADMIN_ROUTES.apiKeys, async (c) => {
    const query = validated(pageQuerySchema, c.req.query(), "query");
    const page: ApiKeyListResponse = await kvCursorRead(() =>
      listApiKeys(c.env.CONNECTIONS, { limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor: query.cursor }),
    );
    return c.json(page, 200, NO_STORE);
  })
  .delete(ADMIN_ROUTES.apiKey, async (c) => {
    const { keyId } = validated(apiKeyParamsSchema, c.req.param(), "path");
    const record = await revokeApiKey(c.env.CONNECTIONS, keyId);
    if (!record) throw new FailureError({ code: "api_key_not_found", reason: "admin_revoke" });
    logEvent("info", "admin.api_key_revoked", { keyId, name: record.name });
    const answer: RevokeApiKeyResponse = { revoked: true, key: toApiKeyView(record) };
    return c.json(answer, 200, NO_STORE);
  });
