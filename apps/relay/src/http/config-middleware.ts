import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { loadConfig } from "../config.ts";
import { FailureError } from "../result.ts";

/** Validates config (once per env object) and exposes it as `c.get("config")`; fails loudly. */
export const configMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
  const config = loadConfig(c.env);
  if (!config.ok) throw new FailureError(config.failure);
  c.set("config", config.value);
  await next();
};
