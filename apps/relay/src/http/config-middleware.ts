import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { relayConfig } from "../config/relay-config.ts";

/** Validates config (once per env object) and exposes it as `c.get("config")`; fails loudly. */
export const configMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("config", relayConfig(c.env));
  await next();
};
