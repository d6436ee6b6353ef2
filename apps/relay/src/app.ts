import type { HealthResponse } from "@instagram-connect/types";
import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { adminRoutes } from "./admin/admin-routes.ts";
import { apiRoutes } from "./api/api-routes.ts";
import type { AppEnv } from "./app-env.ts";
import { widgetRoutes } from "./connections/widget-routes.ts";
import { feedRoutes } from "./feeds/feed-routes.ts";
import { hostedLinkRoutes } from "./hosted/hosted-link-routes.ts";
import { configMiddleware } from "./http/config-middleware.ts";
import { methodNotAllowed, onError, onNotFound } from "./http/error-handlers.ts";
import { requestLogger } from "./http/request-logger.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { instagramWebhookRoutes } from "./meta/instagram-webhook-routes.ts";
import { mediaUploadRoute } from "./meta/media-upload-route.ts";
import { metaRoutes } from "./meta/meta-routes.ts";
import { oauthRoutes } from "./oauth/oauth-routes.ts";
import { openApiRoute } from "./openapi/openapi-route.ts";
import { sessionRoutes } from "./sessions/session-routes.ts";

export type { AppEnv } from "./app-env.ts";

/**
 * Builds the relay's Hono app: what every answer gets (security headers, error and 404
 * answers, validated config on /v1), then the route families. Each family declares its own
 * middleware (CORS, rate limit, auth) in its own file; add a new family here (ARCHITECTURE.md).
 */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(securityHeaders);
  app.use(requestLogger);
  app.onError(onError);
  app.notFound(onNotFound);
  // A known path with a method it lacks: 405 with Allow, before any family's auth.
  app.use(methodNotAllowed(() => app.routes));
  app.get(ROUTES.health, (c) => c.json<HealthResponse>({ ok: true, service: "instagram-connect-relay" }));
  app.use("/v1/*", configMiddleware);

  // Consent flow: per-IP rate limit failing closed; CORS only on attempt polling.
  app.route("/", oauthRoutes);
  // Widget: CORS, per-credential rate limit failing open, bearer credential.
  app.route("/", widgetRoutes);
  // App API: API key, per-key rate limit, operation check; never CORS (S14-S16).
  app.route("/", apiRoutes);
  // Admin API (API keys): per-IP rate limit failing closed, ADMIN_SECRET (404 without); never CORS.
  app.route("/", adminRoutes);
  // OpenAPI document of the app API.
  app.route("/", openApiRoute);
  // Public feeds: CORS per feed's allowed origins, per-IP rate limit failing open, edge cache.
  app.route("/", feedRoutes);
  // Connect sessions (widget, `Authorization: Session`) and the receipts' public JWKS.
  app.route("/", sessionRoutes);
  // Hosted connect links (`connectUrl`): the consent as a relay page, per-IP limit failing closed.
  app.route("/", hostedLinkRoutes);
  // Meta callbacks (deauthorize, data deletion, deletion status): signed by Meta, no CORS.
  app.route("/", metaRoutes);
  // Instagram's webhooks: verify-token handshake and X-Hub-Signature-256 deliveries, fanned out signed.
  app.route("/", instagramWebhookRoutes);
  // Uploaded publishing media, fetched by Instagram (unguessable id, short-lived, no credential).
  app.route("/", mediaUploadRoute);
  return app;
}
