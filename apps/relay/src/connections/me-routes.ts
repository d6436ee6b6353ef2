import { type ConnectionResponse, type DisconnectResponse, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { readProfile } from "../cache/connection-reads.ts";
import { now } from "../clock.ts";
import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import { logEvent } from "../log.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import { credentialAuth } from "./credential-auth.ts";

/**
 * `GET` and `DELETE /v1/connections/me` with the widget's bearer credential. Unknown
 * connections and wrong credentials answer the same 401, so ids cannot be probed.
 */
export const meRoutes = new Hono<AppEnv>()
  .use(ROUTES.connectionMe, credentialAuth)
  .get(ROUTES.connectionMe, async (c) => {
    const record = c.get("connection");
    const connection = toConnectionView(record, now());
    if (connection.status === "active") {
      // The stored profile's avatar URL expires within days: prefer the cached live profile,
      // and fall back to the stored one while Instagram cannot be asked.
      const live = await readProfile({ env: c.env, config: c.get("config"), record });
      if (live.ok) connection.profile = live.value.value;
      else if (live.failure.code === "reauth_required") connection.status = "reauth_required";
    }
    const body: ConnectionResponse = { connection };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  })
  .delete(ROUTES.connectionMe, async (c) => {
    const record = c.get("connection");
    await disconnectConnection(c.env, record.connectionId, "user_disconnected");
    logEvent("info", "connection_disconnected", { connectionId: record.connectionId });
    const body: DisconnectResponse = { disconnected: true, connectionId: record.connectionId };
    return c.json(body, 200, { "Cache-Control": "no-store" });
  });
