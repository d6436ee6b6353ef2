import { type ConnectionResponse, type DisconnectResponse, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { now } from "../clock.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../http/log.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { parseBearerCredential, verifyCredential } from "./connection-credential.ts";

/**
 * `GET` and `DELETE /v1/connections/me` with the widget's bearer credential. Unknown
 * connections and wrong credentials answer the same 401, so ids cannot be probed.
 */
export const meRoutes = new Hono<AppEnv>()
  .use(ROUTES.connectionMe, async (c, next) => {
    if (c.req.method === "OPTIONS") return next();
    const presented = parseBearerCredential(c.req.header("Authorization"));
    const store = new ConnectionStore(c.env.CONNECTIONS, c.get("config"));
    const record = presented ? await store.get(presented.connectionId) : null;
    if (
      !presented ||
      !record ||
      !(await verifyCredential(c.get("config").keys, presented.credential, record.credentialHash))
    ) {
      logEvent("warn", "credential_refused", { connectionId: presented?.connectionId ?? null });
      return errorJson({ code: "unauthorized" }, { "WWW-Authenticate": "Bearer" });
    }
    c.set("connection", record);
    return next();
  })
  .get(ROUTES.connectionMe, (c) => {
    const body: ConnectionResponse = { connection: toConnectionView(c.get("connection"), now()) };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  })
  .delete(ROUTES.connectionMe, async (c) => {
    const record = c.get("connection");
    await new ConnectionStore(c.env.CONNECTIONS, c.get("config")).delete(record);
    logEvent("info", "connection_disconnected", { connectionId: record.connectionId });
    const body: DisconnectResponse = { disconnected: true, connectionId: record.connectionId };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
