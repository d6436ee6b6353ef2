import {
  ADMIN_ROUTES,
  type ApiKeyListResponse,
  type ApiOperation,
  type CreateApiKeyResponse,
  type RevokeApiKeyResponse,
  routePath,
} from "@instagram-connect/types";
import {
  type FetchLike,
  normalizeBaseUrl,
  type PageOptions,
  type RelayResult,
  relayRequest,
} from "./relay-client.ts";

/** Options of `createAdminClient`. */
export interface AdminClientOptions {
  /** The relay's base URL, e.g. `https://relay.example.com`. */
  baseUrl: string;
  /** The relay's `ADMIN_SECRET`. Sent as `Authorization: Bearer`; keep it out of code and URLs. */
  adminSecret: string;
  /** Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
}

/** API key management on a relay that sets `ADMIN_SECRET` (server side or CLI only). */
export interface AdminClient {
  /** Creates a key; `data.apiKey` is shown this once (only its hash is stored). */
  createApiKey(input: {
    name: string;
    operations: readonly ApiOperation[];
  }): Promise<RelayResult<CreateApiKeyResponse>>;
  /** One page of keys' metadata (never a key or hash). */
  listApiKeys(page?: PageOptions): Promise<RelayResult<ApiKeyListResponse>>;
  /** Revokes a key by id; the relay refuses it everywhere within about 60 s. */
  revokeApiKey(keyId: string): Promise<RelayResult<RevokeApiKeyResponse>>;
}

/**
 * A typed client for the relay's `/v1/admin` routes (404 `not_found` when the relay has no
 * `ADMIN_SECRET`). Failures come back as `RelayError` values; only a network failure throws.
 * @example
 * const admin = createAdminClient({ baseUrl: "https://relay.example.com", adminSecret: process.env.INSTAGRAM_CONNECT_ADMIN_SECRET! });
 * const made = await admin.createApiKey({ name: "analytics", operations: ["connections:read"] });
 * if (made.ok) console.log(made.data.apiKey);
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const base = normalizeBaseUrl(options.baseUrl);
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const bearer = options.adminSecret;
  return {
    createApiKey: (input) =>
      relayRequest(doFetch, {
        url: `${base}${ADMIN_ROUTES.apiKeys}`,
        method: "POST",
        bearer,
        body: { name: input.name, operations: [...input.operations] },
      }),
    listApiKeys: (page = {}) =>
      relayRequest(doFetch, {
        url: `${base}${ADMIN_ROUTES.apiKeys}`,
        method: "GET",
        bearer,
        query: { ...page },
      }),
    revokeApiKey: (keyId) =>
      relayRequest(doFetch, {
        url: `${base}${routePath(ADMIN_ROUTES.apiKey, { keyId })}`,
        method: "DELETE",
        bearer,
      }),
  };
}
