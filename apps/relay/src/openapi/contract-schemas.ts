import {
  API_OPERATIONS,
  type ApiKeyListResponse,
  type ApiKeyView,
  type AttemptIssuedResponse,
  type AttemptResponse,
  AUDIT_EVENTS,
  type AuditTrailResponse,
  type ConnectionListResponse,
  type ConnectionResponse,
  type CreateApiKeyResponse,
  type DataDeletionResponse,
  type DeauthorizeResponse,
  type DeletionStatusResponse,
  type DisconnectResponse,
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  FEED_MEDIA_TYPES,
  type FeedDeletedResponse,
  type FeedListResponse,
  type FeedResponse,
  type HealthResponse,
  INSTAGRAM_SCOPES,
  type KeyUsageResponse,
  type MediaPage,
  type PublicFeed,
  type RevokeApiKeyResponse,
  type TokenExportResponse,
  WEBHOOK_EVENTS,
  type WebhookDeadLettersResponse,
  type WebhookEvent,
  type WebhookReplayResponse,
} from "@instagram-connect/types";
import * as z from "zod/mini";
import {
  jsonValueSchema,
  mediaItemSchema,
  mediaPageSchema,
  profileSchema,
} from "../storage/connection-record.ts";
import { instagramWebhookChangeSchema, publishJobSchema } from "./action-schemas.ts";
import { securityAnomalySchema } from "./monitoring-schemas.ts";

const metadata = z.nullable(z.record(z.string(), jsonValueSchema));

export { mediaItemSchema, mediaPageSchema };

/**
 * Zod schemas of every relay response body, mirroring `@instagram-connect/types` (the
 * compile-time checks at the end fail if the two drift). The OpenAPI document is generated
 * from these and from the routes' own request schemas.
 */

const isoTime = z.string().check(z.iso.datetime({ offset: true }));

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    retryAfter: z.optional(z.number()),
    setting: z.optional(z.string()),
  }),
});

export const healthSchema = z.object({ ok: z.literal(true), service: z.literal("instagram-connect-relay") });

export const connectionViewSchema = z.object({
  id: z.string(),
  status: z.enum(["active", "reauth_required"]),
  profile: profileSchema,
  scopes: z.array(z.enum(INSTAGRAM_SCOPES)),
  tokenExpiresAt: isoTime,
  connectedAt: isoTime,
  updatedAt: isoTime,
  endUserId: z.optional(z.nullable(z.string())),
  origin: z.optional(z.nullable(z.string())),
  metadata: z.optional(metadata),
});

export const connectionResponseSchema = z.object({ connection: connectionViewSchema });

export const disconnectSchema = z.object({ disconnected: z.literal(true), connectionId: z.string() });

export const connectionListSchema = z.object({
  items: z.array(connectionViewSchema),
  /** Connections on this page whose record could not be read: treat as reauth_required. */
  unreadable: z.array(z.string()),
  nextCursor: z.nullable(z.string()),
});

export const keyUsageSchema = z.object({
  keys: z.array(z.string()),
  fields: z.object({
    accessToken: z.record(z.string(), z.number()),
    credentialHash: z.record(z.string(), z.number()),
  }),
  unreadable: z.number(),
  scanned: z.number(),
  nextCursor: z.nullable(z.string()),
});

export const auditEventSchema = z.object({
  event: z.enum(AUDIT_EVENTS),
  at: isoTime,
  connectionId: z.string(),
  reason: z.nullable(z.string()),
});

export const auditTrailSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.nullable(z.string()),
});

export const tokenExportSchema = z.object({
  connectionId: z.string(),
  accessToken: z.string(),
  expiresAt: isoTime,
});

const relayErrorSchema = errorBodySchema.shape.error;

export const oauthResultSchema = z.union([
  z.object({
    ok: z.literal(true),
    handle: z.object({ connectionId: z.string(), credential: z.string() }),
    connection: connectionViewSchema,
    receipt: z.optional(z.string()),
  }),
  z.object({ ok: z.literal(false), error: relayErrorSchema }),
]);

export const attemptResponseSchema = z.union([
  z.object({ status: z.literal("pending"), expiresAt: isoTime }),
  z.object({ status: z.literal("complete"), result: oauthResultSchema }),
]);

export const attemptIssuedSchema = z.object({
  attemptId: z.string(),
  challenge: z.string(),
  expiresAt: isoTime,
});

export const dataDeletionSchema = z.object({ url: z.string(), confirmation_code: z.string() });

export const deauthorizeSchema = z.object({ received: z.literal(true) });

export const deletionStatusSchema = z.object({
  confirmationCode: z.string(),
  status: z.literal("completed"),
  dataFound: z.boolean(),
  requestedAt: isoTime,
  completedAt: isoTime,
});

export const webhookEventSchema = z.object({
  id: z.string(),
  type: z.enum(WEBHOOK_EVENTS),
  createdAt: isoTime,
  data: z.object({
    connectionId: z.optional(z.string()),
    instagramUserId: z.optional(z.string()),
    username: z.optional(z.string()),
    reason: z.optional(z.string()),
    reconnected: z.optional(z.boolean()),
    tokenExpiresAt: z.optional(isoTime),
    endUserId: z.optional(z.nullable(z.string())),
    metadata: z.optional(metadata),
    job: z.optional(publishJobSchema),
    instagram: z.optional(instagramWebhookChangeSchema),
    owner: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
    anomaly: z.optional(securityAnomalySchema),
  }),
});

export const connectSessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoTime,
  sessionId: z.string(),
  connectUrl: z.string().register(z.globalRegistry, {
    description: "Hosted connect link (secret, single use, expires with the session)",
  }),
});

export const endUserConnectionsSchema = z.object({
  endUserId: z.string(),
  items: z.array(connectionViewSchema),
});

/** The receipts' public keys (RFC 7517 JWKS of Ed25519 OKP keys). */
export const jwksSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.literal("OKP"),
      crv: z.literal("Ed25519"),
      x: z.string(),
      kid: z.string(),
      alg: z.literal("EdDSA"),
      use: z.literal("sig"),
    }),
  ),
});

/** Any JSON object (Graph passthrough answers: Graph's own shape, fields as requested). */
export const deadLettersSchema = z.object({
  items: z.array(
    z.object({ event: webhookEventSchema, failures: z.number(), lastReason: z.string(), deadAt: isoTime }),
  ),
});

export const replaySchema = z.object({ replayed: z.literal(true), eventId: z.string() });

export const graphObjectSchema = z.record(z.string(), z.unknown());

export const apiOperationSchema = z.enum(API_OPERATIONS);

/** An API key's metadata as the admin API shows it: never the key, never its hash. */
export const apiKeyViewSchema = z.object({
  keyId: z.string(),
  name: z.string(),
  operations: z.array(apiOperationSchema),
  createdAt: isoTime,
  revoked: z.boolean(),
  revokedAt: z.nullable(isoTime),
});

export const createApiKeyResponseSchema = z.object({ apiKey: z.string(), key: apiKeyViewSchema });

export const apiKeyListSchema = z.object({
  items: z.array(apiKeyViewSchema),
  nextCursor: z.nullable(z.string()),
});

export const revokeApiKeySchema = z.object({ revoked: z.literal(true), key: apiKeyViewSchema });
export const feedViewSchema = z.object({
  feedId: z.string(),
  connectionId: z.string(),
  allowedOrigins: z.array(z.string()),
  limit: z.number(),
  mediaTypes: z.array(z.enum(FEED_MEDIA_TYPES)),
  includeCaptions: z.boolean(),
  mediaMode: z.enum(["copy", "proxy"]),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const feedResponseSchema = z.object({ feed: feedViewSchema });

export const feedListSchema = z.object({
  items: z.array(feedViewSchema),
  nextCursor: z.nullable(z.string()),
});

export const feedDeletedSchema = z.object({ deleted: z.literal(true), feedId: z.string() });

export const publicFeedSchema = z.object({
  feedId: z.string(),
  username: z.string(),
  items: z.array(
    z.object({
      id: z.string(),
      mediaType: z.enum(FEED_MEDIA_TYPES),
      caption: z.nullable(z.string()),
      permalink: z.nullable(z.string()),
      timestamp: z.string(),
      imageUrl: z.string(),
    }),
  ),
  refreshedAt: isoTime,
  stale: z.boolean(),
  status: z.enum(["ok", "reauth_required", "upstream_unavailable"]),
});

// Compile-time drift checks against the contract: each line fails to type-check on a mismatch.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends z.ZodMiniType> = z.output<S>;
export const CONTRACT_CHECKS: readonly true[] = [
  true satisfies Same<Out<typeof errorBodySchema>, ErrorBody>,
  true satisfies Same<Out<typeof healthSchema>, HealthResponse>,
  true satisfies Same<Out<typeof connectionResponseSchema>, ConnectionResponse>,
  true satisfies Same<Out<typeof disconnectSchema>, DisconnectResponse>,
  true satisfies Same<Out<typeof mediaPageSchema>, MediaPage>,
  true satisfies Same<Out<typeof connectionListSchema>, ConnectionListResponse>,
  true satisfies Same<Out<typeof keyUsageSchema>, KeyUsageResponse>,
  true satisfies Same<Out<typeof auditTrailSchema>, AuditTrailResponse>,
  true satisfies Same<Out<typeof tokenExportSchema>, TokenExportResponse>,
  true satisfies Same<Out<typeof attemptResponseSchema>, AttemptResponse>,
  true satisfies Same<Out<typeof attemptIssuedSchema>, AttemptIssuedResponse>,
  true satisfies Same<Out<typeof dataDeletionSchema>, DataDeletionResponse>,
  true satisfies Same<Out<typeof deauthorizeSchema>, DeauthorizeResponse>,
  true satisfies Same<Out<typeof deletionStatusSchema>, DeletionStatusResponse>,
  true satisfies Same<Out<typeof webhookEventSchema>, WebhookEvent>,
  true satisfies Same<Out<typeof apiKeyViewSchema>, ApiKeyView>,
  true satisfies Same<Out<typeof createApiKeyResponseSchema>, CreateApiKeyResponse>,
  true satisfies Same<Out<typeof apiKeyListSchema>, ApiKeyListResponse>,
  true satisfies Same<Out<typeof revokeApiKeySchema>, RevokeApiKeyResponse>,
  true satisfies Same<Out<typeof deadLettersSchema>, WebhookDeadLettersResponse>,
  true satisfies Same<Out<typeof replaySchema>, WebhookReplayResponse>,
  true satisfies Same<Out<typeof feedResponseSchema>, FeedResponse>,
  true satisfies Same<Out<typeof feedListSchema>, FeedListResponse>,
  true satisfies Same<Out<typeof feedDeletedSchema>, FeedDeletedResponse>,
  true satisfies Same<Out<typeof publicFeedSchema>, PublicFeed>,
];
