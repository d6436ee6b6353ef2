import type { HealthResponse } from "@instagram-connect/types";
import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";

/** Bindings and per-request variables of the relay's Hono app. */
export type AppEnv = { Bindings: Env };

/** Builds the relay's Hono app. */
export function createApp() {
  const app = new Hono<AppEnv>();
  app.get(ROUTES.health, (c) => c.json<HealthResponse>({ ok: true, service: "instagram-connect-relay" }));
  return app;
}
