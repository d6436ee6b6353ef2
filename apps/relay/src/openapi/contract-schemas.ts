import {
  API_OPERATIONS,
  type AttemptResponse,
  AUDIT_EVENTS,
  type AuditTrailResponse,
  type ConnectionListResponse,
  type ConnectionResponse,
  type DataDeletionResponse,
  type DeauthorizeResponse,
  type DeletionStatusResponse,
  type DisconnectResponse,
  ERROR_CODES,
  type ErrorBody,
  type ErrorCode,
  type HealthResponse,
  INSTAGRAM_SCOPES,
  type MediaPage,
  type TokenExportResponse,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from "@instagram-connect/types";
import * as z from "zod/mini";
import {
  jsonValueSchema,
  mediaItemSchema,
  mediaPageSchema,
  profileSchema,
} from "../storage/connection-record.ts";

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
    connectionId: z.string(),
    instagramUserId: z.optional(z.string()),
    username: z.optional(z.string()),
    reason: z.optional(z.string()),
    reconnected: z.optional(z.boolean()),
    tokenExpiresAt: z.optional(isoTime),
    endUserId: z.optional(z.nullable(z.string())),
    metadata: z.optional(metadata),
  }),
});

export const connectSessionResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoTime,
  sessionId: z.string(),
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
export const graphObjectSchema = z.record(z.string(), z.unknown());

export const apiOperationSchema = z.enum(API_OPERATIONS);

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
  true satisfies Same<Out<typeof auditTrailSchema>, AuditTrailResponse>,
  true satisfies Same<Out<typeof tokenExportSchema>, TokenExportResponse>,
  true satisfies Same<Out<typeof attemptResponseSchema>, AttemptResponse>,
  true satisfies Same<Out<typeof dataDeletionSchema>, DataDeletionResponse>,
  true satisfies Same<Out<typeof deauthorizeSchema>, DeauthorizeResponse>,
  true satisfies Same<Out<typeof deletionStatusSchema>, DeletionStatusResponse>,
  true satisfies Same<Out<typeof webhookEventSchema>, WebhookEvent>,
];
