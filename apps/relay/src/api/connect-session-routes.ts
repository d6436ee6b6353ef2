import type { ConnectionMetadata } from "@instagram-connect/types";
import {
  API_ROUTES,
  CONNECT_SESSION_TTL,
  type ConnectionListResponse,
  type ConnectionResponse,
  type ConnectSessionResponse,
  METADATA_MAX_BYTES,
  ROUTES,
  routePath,
} from "@instagram-connect/types";
import { Hono } from "hono";
import { NO_STORE } from "../http/security-headers.ts";
import { jsonBody, jsonBodyLimit, validated } from "../http/validate.ts";
import { coordinatedStore, coordinatorFor } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import {
  connectionParamsSchema,
  connectionPatchSchema,
  connectSessionBodySchema,
  endUserParamsSchema,
} from "../request-schemas.ts";
import { FailureError } from "../result.ts";
import { now } from "../runtime.ts";
import { newSessionSecrets, sessionStub } from "../sessions/connect-session.ts";
import { listEndUserConnections } from "../sessions/end-user-connections.ts";
import { forgetCredential } from "../storage/credential-cache.ts";
import { requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";

const tooLarge = jsonBodyLimit(16 * 1024, "api_body");

/**
 * App API routes of connect sessions and end users (mounted inside `apiRoutes`, behind its API
 * key and rate limit): create a session, one end user's connections, PATCH metadata.
 */
export const connectSessionRoutes = new Hono<ApiEnv>()
  .post(API_ROUTES.connectSessions, requireOperation("sessions:write"), tooLarge, async (c) => {
    const body = validated(connectSessionBodySchema, await jsonBody(c), "body");
    const oauth = c.get("config").oauth;
    checkMetadataSize(body.metadata);
    if (body.allowedScopes?.some((scope) => !oauth.allowedScopes.includes(scope))) {
      throw new FailureError({ code: "scope_not_allowed", reason: "session_scope_not_listed" });
    }
    if (body.allowedOrigins?.some((origin) => !oauth.allowedOrigins.includes(origin))) {
      throw new FailureError({ code: "origin_not_allowed", reason: "session_origin_not_listed" });
    }
    const allowedOrigins = body.allowedOrigins ?? oauth.allowedOrigins;
    if (body.returnUrl !== undefined && !allowedOrigins.includes(new URL(body.returnUrl).origin)) {
      throw new FailureError({ code: "return_to_not_allowed", reason: "session_return_url_origin" });
    }
    if (body.reconnectConnectionId) {
      // A reconnect session must name a connection of this same end user.
      const target = await coordinatedStore(c.env, c.get("config")).get(body.reconnectConnectionId);
      if (!target || (target.endUserId ?? null) !== body.endUser.id) {
        throw new FailureError({ code: "connection_not_found", reason: "reconnect_target" });
      }
    }
    const { sessionId, token, secretHash, link, linkSecretHash } = await newSessionSecrets();
    const expiresAt = now() + (body.ttlSeconds ?? CONNECT_SESSION_TTL.default) * 1000;
    await sessionStub(c.env, sessionId).create({
      sessionId,
      secretHash,
      endUser: body.endUser,
      metadata: body.metadata ?? null,
      allowedScopes: body.allowedScopes ?? null,
      allowedOrigins: body.allowedOrigins ?? null,
      reconnectConnectionId: body.reconnectConnectionId ?? null,
      linkSecretHash,
      returnUrl: body.returnUrl ?? null,
      expiresAt,
      used: false,
    });
    logEvent("info", "connect_session_created", { keyId: c.get("apiKey").keyId, sessionId });
    // The relay's public origin is the one Instagram redirects back to.
    const connectUrl = new URL(routePath(ROUTES.connectLink, { link }), oauth.redirectUri).href;
    const answer: ConnectSessionResponse = {
      token,
      expiresAt: new Date(expiresAt).toISOString(),
      sessionId,
      connectUrl,
    };
    return c.json(answer, 201, NO_STORE);
  })
  .get(API_ROUTES.endUserConnections, requireOperation("connections:read"), async (c) => {
    const { endUserId } = validated(endUserParamsSchema, c.req.param(), "path");
    const items = await listEndUserConnections(coordinatedStore(c.env, c.get("config")), endUserId);
    const page: ConnectionListResponse = { items, unreadable: [], nextCursor: null };
    return c.json(page, 200, NO_STORE);
  })
  .patch(API_ROUTES.connection, requireOperation("connections:write"), tooLarge, async (c) => {
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    const body = validated(connectionPatchSchema, await jsonBody(c), "body");
    checkMetadataSize(body.metadata);
    const updated = await coordinatorFor(c.env, connectionId).updateMetadata(connectionId, body.metadata);
    // The write happened in the coordinator: drop this isolate's cached copies so a GET here sees it.
    forgetCredential(connectionId);
    if (!updated) throw new FailureError({ code: "connection_not_found", reason: "api_patch" });
    const answer: ConnectionResponse = { connection: updated };
    return c.json(answer, 200, NO_STORE);
  });

function checkMetadataSize(metadata: ConnectionMetadata | null | undefined): void {
  if (metadata && new TextEncoder().encode(JSON.stringify(metadata)).byteLength > METADATA_MAX_BYTES) {
    throw new FailureError({ code: "payload_too_large", reason: "metadata_over_4kb" });
  }
}
