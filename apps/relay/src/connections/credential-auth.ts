import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../log.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { parseBearerCredential, verifyCredential } from "./connection-credential.ts";

/**
 * The widget's bearer credential check for `/v1/connections/me` and its sub-routes: sets
 * `connection`. Unknown connections and wrong credentials answer the same 401, so ids cannot
 * be probed.
 */
export const credentialAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const presented = parseBearerCredential(c.req.header("Authorization"));
  const store = new ConnectionStore(c.env.CONNECTIONS, c.get("config"));
  const record = presented ? await store.get(presented.connectionId) : null;
  if (
    !presented ||
    !record ||
    !(await verifyCredential(c.get("config").vault.keys, presented.credential, record.credentialHash))
  ) {
    logEvent("warn", "credential_refused", { connectionId: presented?.connectionId ?? null });
    return errorJson({ code: "unauthorized" }, { "WWW-Authenticate": "Bearer" });
  }
  c.set("connection", record);
  return next();
};
