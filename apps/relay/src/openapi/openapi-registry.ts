import * as z from "zod/mini";
import { connectSessionBodySchema } from "../request-schemas.ts";
import * as actions from "./action-schemas.ts";
import * as schemas from "./contract-schemas.ts";
import * as monitoring from "./monitoring-schemas.ts";

/** Component name -> schema: every named schema in `components.schemas`. */
const COMPONENTS = {
  ErrorBody: schemas.errorBodySchema,
  HealthResponse: schemas.healthSchema,
  InstagramProfile: schemas.connectionViewSchema.shape.profile,
  ConnectionView: schemas.connectionViewSchema,
  ConnectionResponse: schemas.connectionResponseSchema,
  DisconnectResponse: schemas.disconnectSchema,
  MediaItem: schemas.mediaItemSchema,
  MediaPage: schemas.mediaPageSchema,
  ConnectionListResponse: schemas.connectionListSchema,
  KeyUsageResponse: schemas.keyUsageSchema,
  AuditEvent: schemas.auditEventSchema,
  AuditTrailResponse: schemas.auditTrailSchema,
  TokenExportResponse: schemas.tokenExportSchema,
  OAuthResult: schemas.oauthResultSchema,
  AttemptResponse: schemas.attemptResponseSchema,
  AttemptIssuedResponse: schemas.attemptIssuedSchema,
  DataDeletionResponse: schemas.dataDeletionSchema,
  DeauthorizeResponse: schemas.deauthorizeSchema,
  DeletionStatusResponse: schemas.deletionStatusSchema,
  WebhookEvent: schemas.webhookEventSchema,
  WebhookDeadLettersResponse: schemas.deadLettersSchema,
  WebhookReplayResponse: schemas.replaySchema,
  GraphObject: schemas.graphObjectSchema,
  ApiOperation: schemas.apiOperationSchema,
  ConnectSessionRequest: connectSessionBodySchema,
  ConnectSessionResponse: schemas.connectSessionResponseSchema,
  EndUserConnectionsResponse: schemas.endUserConnectionsSchema,
  Jwks: schemas.jwksSchema,
  ApiKeyView: schemas.apiKeyViewSchema,
  CreateApiKeyResponse: schemas.createApiKeyResponseSchema,
  ApiKeyListResponse: schemas.apiKeyListSchema,
  RevokeApiKeyResponse: schemas.revokeApiKeySchema,
  PublishJob: actions.publishJobSchema,
  PublishJobResponse: actions.publishJobResponseSchema,
  UploadResponse: actions.uploadResponseSchema,
  InstagramComment: actions.commentSchema,
  CommentPage: actions.commentPageSchema,
  CommentCreatedResponse: actions.commentCreatedSchema,
  CommentActionResponse: actions.commentActionSchema,
  InsightsResponse: actions.insightsResponseSchema,
  InstagramWebhookChange: actions.instagramWebhookChangeSchema,
  FeedView: schemas.feedViewSchema,
  FeedResponse: schemas.feedResponseSchema,
  FeedListResponse: schemas.feedListSchema,
  FeedDeletedResponse: schemas.feedDeletedSchema,
  PublicFeed: schemas.publicFeedSchema,
  UsageResponse: monitoring.usageResponseSchema,
  ApiHealthResponse: monitoring.apiHealthSchema,
  SecurityAnomaly: monitoring.securityAnomalySchema,
} as const;

/** A named component schema. */
export type ComponentName = keyof typeof COMPONENTS;

/** `#/components/schemas/<name>`. */
export function ref(name: ComponentName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** JSON Schema (2020-12, OpenAPI 3.1's dialect) of every component, shared parts as `$ref`s. */
export function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas: out } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const schema of Object.values(out)) delete (schema as { $schema?: unknown }).$schema;
  return out;
}

/** One query parameter per property of a request schema (validation and docs share it). */
export function queryParameters(schema: z.ZodMiniType): Record<string, unknown>[] {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

/** The JSON Schema of one request schema (path parameters). */
export function jsonSchema(schema: z.ZodMiniType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
