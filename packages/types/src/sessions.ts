import type { ConnectionView } from "./connection.ts";
import type { InstagramScope } from "./scopes.ts";

/** Longest and default lifetime of a connect session, in seconds. */
export const CONNECT_SESSION_TTL = { default: 1800, max: 3600 } as const;

/** Most bytes of `metadata` (UTF-8 JSON) a session or connection may carry. */
export const METADATA_MAX_BYTES = 4096;

/** Longest end user id, in characters. */
export const END_USER_ID_MAX_LENGTH = 255;

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonArray | JsonObject;
/** A JSON array. */
export interface JsonArray extends Array<JsonValue> {}
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** App metadata carried by a session and its connection: a JSON object of at most 4 KB. */
export type ConnectionMetadata = { [key: string]: JsonValue };

/** Who the site says is connecting: `id` is the site's own user id (1..255 chars). */
export interface EndUser {
  id: string;
  displayName?: string;
  email?: string;
}

/** Body of `POST /v1/api/connect-sessions` (API key with `sessions:write`). */
export interface ConnectSessionRequest {
  endUser: EndUser;
  /** Any JSON object, at most 4 KB; copied onto the connection and into webhooks. */
  metadata?: ConnectionMetadata;
  /** A subset of the relay's `ALLOWED_SCOPES`; consents asking for more get `scope_not_allowed`. */
  allowedScopes?: InstagramScope[];
  /** A subset of the relay's `ALLOWED_ORIGINS`; the consent must start from one of them. */
  allowedOrigins?: string[];
  /** Lifetime in seconds: default 1800, at most 3600. */
  ttlSeconds?: number;
  /** Reconnect this connection (of the same end user); another Instagram account is refused. */
  reconnectConnectionId?: string;
  /**
   * Where the hosted link's result page offers to return (`connectUrl` only): an http(s) URL on
   * one of the session's `allowedOrigins` (else the relay's `ALLOWED_ORIGINS`). The relay appends
   * `ic_result=connected` or `ic_result=<error code>`.
   */
  returnUrl?: string;
}

/** Response of `POST /v1/api/connect-sessions` (201). */
export interface ConnectSessionResponse {
  /** Secret, short-lived, starts one consent. Hand it to the widget; never put it in a URL. */
  token: string;
  /** ISO 8601 expiry. */
  expiresAt: string;
  sessionId: string;
  /**
   * The hosted connect link (`https://<relay>/v1/connect/icl_<sessionId>.<secret>`): a relay page
   * that runs the consent without React, for e-mails and non-React sites. Secret: send it only to
   * the end user; it starts one consent, expires with the session and is redacted from logs.
   */
  connectUrl: string;
}

/** Query parameter the hosted link's result page appends to `returnUrl`: `connected` or an error code. */
export const CONNECT_LINK_RESULT_PARAM = "ic_result" as const;

/**
 * Metadata tag filters of `GET /v1/api/connections`: `tag=<key>:<value>`, repeatable (all must
 * match a top-level metadata field; strings compare exactly, numbers and booleans as their JSON text).
 */
export const CONNECTION_TAG_FILTER = {
  param: "tag",
  maxTags: 10,
  maxKeyLength: 64,
  maxValueLength: 256,
} as const;

/** Form field names of `POST /v1/oauth/start` when a session token is used. */
export const SESSION_START_FIELD = "sessionToken" as const;

/** Header carrying a session token on the widget's session routes: `Authorization: Session <token>`. */
export const SESSION_AUTH_SCHEME = "Session" as const;

/** Response of `GET /v1/sessions/connections`: the session's end user's connections. */
export interface EndUserConnectionsResponse {
  endUserId: string;
  items: ConnectionView[];
}

/** Body of `PATCH /v1/api/connections/:connectionId`. */
export interface ConnectionPatchRequest {
  metadata: ConnectionMetadata | null;
}

/** Claims of a connect receipt (a compact JWS, EdDSA/Ed25519, signed by the relay). */
export interface ConnectReceiptClaims {
  /** Issuer: the relay's origin. */
  iss: string;
  /** The connection id. */
  sub: string;
  /** The end user of the connect session; null for an anonymous connect. */
  endUserId: string | null;
  /** The professional Instagram account id (`user_id`). */
  instagramUserId: string;
  /** The site origin the consent ran for. */
  origin: string;
  iat: number;
  exp: number;
}

/** Where the relay publishes its receipt verification keys. */
export const JWKS_PATH = "/.well-known/jwks.json" as const;
