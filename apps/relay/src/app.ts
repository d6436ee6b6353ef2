import type { HealthResponse } from "@instagram-connect/types";
import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { apiRoutes } from "./api/api-routes.ts";
import type { AppEnv } from "./app-env.ts";
import { meMediaRoute } from "./connections/me-media-route.ts";
import { meRoutes } from "./connections/me-routes.ts";
import { configMiddleware } from "./http/config-middleware.ts";
import { widgetCors } from "./http/cors.ts";
import { onError, onNotFound } from "./http/error-handlers.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { metaRoutes } from "./meta/meta-routes.ts";
import { attemptRoute } from "./oauth/attempt-route.ts";
import { callbackRoute } from "./oauth/callback-route.ts";
import { htmlRefusals } from "./oauth/error-page.ts";
import { startRoute } from "./oauth/start-route.ts";
import { openApiRoute } from "./openapi/openapi-route.ts";
import { bearerCredentialKey, clientIpKey, rateLimit } from "./rate-limit/index.ts";

export type { AppEnv } from "./app-env.ts";

/** Builds the relay's Hono app. */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(securityHeaders);
  app.onError(onError);
  app.notFound(onNotFound);
  app.get(ROUTES.health, (c) => c.json<HealthResponse>({ ok: true, service: "instagram-connect-relay" }));

  app.use("/v1/*", configMiddleware);
  app.use(ROUTES.oauthAttempt, widgetCors);
  app.use(ROUTES.connectionMe, widgetCors);
  app.use(ROUTES.connectionMeMedia, widgetCors);
  // Per-family middleware (rate limits, ...) goes here, before the family's routes:
  // e.g. app.use("/v1/oauth/*", ...) and app.use("/v1/connections/*", ...).
  // Rate limits (S18, S29): oauth by client IP, failing closed; the widget by credential hash,
  // failing open. "/me/*" also matches "/me" itself, so one registration covers both.
  const oauthLimit = rateLimit<AppEnv>({ family: "oauth", key: clientIpKey });
  // The popup shows (and hands back) a refusal of its start as a page, not raw JSON.
  app.use(ROUTES.oauthStart, htmlRefusals, oauthLimit);
  app.use(ROUTES.oauthCallback, oauthLimit);
  app.use(`${ROUTES.connectionMe}/*`, rateLimit<AppEnv>({ family: "widget", key: bearerCredentialKey }));

  // oauth family
  app.route("/", startRoute);
  app.route("/", callbackRoute);
  app.route("/", attemptRoute);
  // connections family
  app.route("/", meRoutes);
  app.route("/", meMediaRoute);
  // app API family (API key auth, api rate limit, no CORS: S14-S16) and its OpenAPI document
  app.route("/", apiRoutes);
  app.route("/", openApiRoute);
  // Meta callbacks (deauthorize, data deletion, deletion status): signed by Meta, no CORS
  app.route("/", metaRoutes);
  return app;
}
