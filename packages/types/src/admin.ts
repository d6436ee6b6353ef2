import type { ApiOperation } from "./api.ts";

/**
 * The relay's admin API: API key management behind `Authorization: Bearer <ADMIN_SECRET>`.
 * Off (404) unless the relay sets the `ADMIN_SECRET` secret. Never call it from a browser.
 */
export const ADMIN_ROUTES = {
  apiKeys: "/v1/admin/api-keys",
  apiKey: "/v1/admin/api-keys/:keyId",
} as const;

/** Longest API key name (letters, digits, space, `.`, `_`, `-`). */
export const MAX_API_KEY_NAME_LENGTH = 64;

/** Body of `POST /v1/admin/api-keys`. */
export interface CreateApiKeyRequest {
  /** A label for people: letters, digits, space, `.`, `_`, `-`; 1..64 characters. */
  name: string;
  /** What the key may do; at least one of `API_OPERATIONS`. */
  operations: ApiOperation[];
}

/** An API key's metadata: never the key, never its hash. */
export interface ApiKeyView {
  keyId: string;
  name: string;
  operations: ApiOperation[];
  /** ISO 8601. */
  createdAt: string;
  revoked: boolean;
  /** ISO 8601, or null while active. */
  revokedAt: string | null;
}

/** Response of `POST /v1/admin/api-keys` (201): the key is shown this once and never again. */
export interface CreateApiKeyResponse {
  apiKey: string;
  key: ApiKeyView;
}

/** Response of `GET /v1/admin/api-keys`. Pass `nextCursor` back as `cursor`; null on the last page. */
export interface ApiKeyListResponse {
  items: ApiKeyView[];
  nextCursor: string | null;
}

/** Response of `DELETE /v1/admin/api-keys/:keyId`: the key is refused everywhere within about 60 s (KV). */
export interface RevokeApiKeyResponse {
  revoked: true;
  key: ApiKeyView;
}
