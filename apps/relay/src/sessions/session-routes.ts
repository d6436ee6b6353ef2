import { type DisconnectResponse, type EndUserConnectionsResponse, ROUTES } from "@instagram-connect/types";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { relayConfig } from "../config/relay-config.ts";
import { widgetCors } from "../http/cors.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import { logEvent } from "../log.ts";
import { rateLimit } from "../rate-limit/index.ts";
import { connectionParamsSchema } from "../request-schemas.ts";
import { unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { receiptJwks } from "./connect-receipt.ts";
import { authenticateSession, type SessionRecord } from "./connect-session.ts";
import { listEndUserConnections } from "./end-user-connections.ts";

type SessionEnv = AppEnv & { Variables: { session: SessionRecord } };

/** `Authorization: Session <token>`: any live session (used or not) of the end user. */
const sessionAuth: MiddlewareHandler<SessionEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const token = /^Session (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1] ?? "";
  const session = await authenticateSession(c.env, token, now());
  if (!session.ok) {
    logEvent("warn", "session_refused", { reason: session.failure.reason });
    return errorJson(session.failure, { "WWW-Authenticate": "Session" });
  }
  c.set("session", session.value);
  return next();
};

/**
 * The widget's end-user routes: with a connect session the page lists that end user's
 * connections on any device and may disconnect one of them, never another user's (404, as
 * if it did not exist). CORS for allowlisted origins, the widget rate limit, then the session.
 * Also the public JWKS that verifies connect receipts.
 */
export const sessionRoutes = new Hono<SessionEnv>()
  .get(ROUTES.jwks, async (c) => {
    const sessions = unwrap(relayConfig(c.env).sessions);
    return c.json(await receiptJwks(sessions), 200, { "Cache-Control": "public, max-age=300" });
  })
  .use("/v1/sessions/*", widgetCors)
  .use(
    "/v1/sessions/*",
    rateLimit<SessionEnv>({
      family: "widget",
      key: (c) =>
        `session:${/^Session ics_([A-Za-z0-9_-]{22})\./.exec(c.req.header("Authorization") ?? "")?.[1] ?? "none"}`,
    }),
  )
  .use("/v1/sessions/*", sessionAuth)
  .get(ROUTES.sessionConnections, async (c) => {
    const endUserId = c.get("session").endUser.id;
    const items = await listEndUserConnections(coordinatedStore(c.env, c.get("config")), endUserId);
    const body: EndUserConnectionsResponse = { endUserId, items };
    return c.json(body, 200, NO_STORE);
  })
  .delete(ROUTES.sessionConnection, async (c) => {
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    const session = c.get("session");
    const record = await coordinatedStore(c.env, c.get("config")).get(connectionId);
    if (!record || record.endUserId !== session.endUser.id) {
      logEvent("warn", "session_disconnect_refused", { sessionId: session.sessionId, connectionId });
      return errorJson({ code: "connection_not_found", reason: "not_this_end_user" });
    }
    await disconnectConnection(c.env, connectionId, "user_disconnected");
    const body: DisconnectResponse = { disconnected: true, connectionId };
    return c.json(body, 200, NO_STORE);
  });
