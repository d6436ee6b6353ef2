import {
  type ConnectionResponse,
  type DisconnectResponse,
  type MediaPage,
  ROUTES,
} from "@instagram-connect/types";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { readMediaPage, readProfile } from "../cache/connection-reads.ts";
import { widgetCors } from "../http/cors.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { coordinatorFor } from "../lifecycle/connection-coordinator.ts";
import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import { logEvent } from "../log.ts";
import { bearerCredentialKey, rateLimit } from "../rate-limit/index.ts";
import { WIDGET_MEDIA_LIMIT, widgetMediaQuerySchema } from "../request-schemas.ts";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { cachedCredential, credentialDigest, rememberCredential } from "../storage/credential-cache.ts";
import { countUsage } from "../usage/usage-recorder.ts";
import {
  credentialHashUnderNewestKey,
  parseBearerCredential,
  verifyAnyCredential,
  verifyCredential,
} from "./connection-credential.ts";

// A disconnect is not counted: its counts would outlive the removal's purge.
const countWidgetUsage = countUsage<AppEnv>(
  (c) => (c.req.method === "DELETE" ? [] : [{ type: "connection", id: c.get("connection").connectionId }]),
  "widget",
);

/**
 * The widget's bearer credential check: sets `connection`. Unknown connections and wrong
 * credentials answer the same 401, so ids cannot be probed. A credential verified in this isolate
 * within `CREDENTIAL_CACHE_TTL_MS` skips the KV read and the HMAC (storage/credential-cache.ts).
 */
const credentialAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const config = c.get("config");
  const presented = parseBearerCredential(c.req.header("Authorization"));
  const digest = presented ? await credentialDigest(presented.credential) : null;
  const cached = presented && digest ? cachedCredential(presented.connectionId, digest, now()) : null;
  // A hash under an older key takes the full path below, which rewrites it (S20) and survives
  // that key's retirement (S27): the cache only short-cuts credentials already under the newest.
  if (cached?.credentialHash.startsWith(`${config.vault.keys.currentKid}:`)) {
    c.set("connection", cached);
    return next();
  }
  let record = presented
    ? await new ConnectionStore(c.env.CONNECTIONS, config).get(presented.connectionId)
    : null;
  // The newest credential or one of the few earlier ones a reconnect keeps valid (S31).
  const verifies = async () =>
    presented !== null &&
    record !== null &&
    (await verifyAnyCredential(config.vault.keys, presented.credential, record));
  if (presented && !(await verifies())) {
    // S27: this location's KV copy may be up to 60 s old (a reconnect's new credential, a hash
    // rewritten under a new key before the old one was retired): ask the record's only writer
    // before refusing, so staleness never logs anyone out.
    record = await coordinatorFor(c.env, presented.connectionId)
      .current(presented.connectionId)
      .catch(() => null);
  }
  if (!presented || !digest || !record || !(await verifies())) {
    logEvent("warn", "credential_refused", { connectionId: presented?.connectionId ?? null });
    return errorJson({ code: "unauthorized" }, { "WWW-Authenticate": "Bearer" });
  }
  // Only the newest credential's hash is rewritten: rehashing an earlier credential into
  // `credentialHash` would replace the newest one.
  const rehashed = (await verifyCredential(config.vault.keys, presented.credential, record.credentialHash))
    ? await credentialHashUnderNewestKey(config.vault.keys, presented.credential, record.credentialHash)
    : null;
  if (rehashed) {
    // S20: a hash made under an older key is rewritten on use (in the coordinator, so it never
    // overwrites a reconnect's new credential); a failure here only delays the rewrite.
    const connectionId = record.connectionId;
    await coordinatorFor(c.env, connectionId)
      .rehashCredential(connectionId, record.credentialHash, rehashed)
      .catch((error: unknown) =>
        logEvent("error", "credential_rehash_failed", {
          connectionId,
          name: error instanceof Error ? error.name : "unknown",
        }),
      );
  }
  rememberCredential(presented.connectionId, digest, record, now());
  c.set("connection", record);
  return next();
};

/**
 * The widget family, `/v1/connections/me` and `/me/media`, called from the site's page with the
 * connection's bearer credential: CORS for allowlisted origins (S16), a per-credential rate
 * limit that fails open (data reads, S29), then the credential. "/me/*" also matches "/me", so
 * one limiter registration covers both routes.
 */
export const widgetRoutes = new Hono<AppEnv>()
  .use(ROUTES.connectionMe, widgetCors)
  .use(ROUTES.connectionMeMedia, widgetCors)
  .use(
    `${ROUTES.connectionMe}/*`,
    rateLimit<AppEnv>({ family: "widget", key: bearerCredentialKey, lease: true }),
  )
  .use(ROUTES.connectionMe, credentialAuth)
  .use(ROUTES.connectionMeMedia, credentialAuth)
  // Usage counters and the anomaly check on the credential (batched, off the response path).
  .use(ROUTES.connectionMe, countWidgetUsage)
  .use(ROUTES.connectionMeMedia, countWidgetUsage)
  .get(ROUTES.connectionMe, async (c) => {
    const record = c.get("connection");
    const connection = toConnectionView(record, now(), c.get("config").vault.keys);
    if (connection.status === "active") {
      // The stored profile's avatar URL expires within days: prefer the cached live profile,
      // and fall back to the stored one while Instagram cannot be asked.
      const live = await readProfile({ env: c.env, config: c.get("config"), record });
      if (live.ok) connection.profile = live.value.value;
      else if (live.failure.code === "reauth_required") connection.status = "reauth_required";
    }
    const body: ConnectionResponse = { connection };
    return c.json(body, 200, NO_STORE);
  })
  .delete(ROUTES.connectionMe, async (c) => {
    const record = c.get("connection");
    // Removal deletes the token, indexes and cached reads, and announces it (audit, webhook).
    await disconnectConnection(c.env, record.connectionId, "user_disconnected");
    logEvent("info", "connection_disconnected", { connectionId: record.connectionId });
    const body: DisconnectResponse = { disconnected: true, connectionId: record.connectionId };
    return c.json(body, 200, NO_STORE);
  })
  // `?limit=1..50` (default 12) and `after=<previous nextCursor>`: one page through the cache.
  .get(ROUTES.connectionMeMedia, async (c) => {
    const query = validated(widgetMediaQuerySchema, c.req.query(), "query");
    const limit = query.limit === undefined ? WIDGET_MEDIA_LIMIT.default : Number(query.limit);
    const after = query.after;
    const page = await readMediaPage(
      { env: c.env, config: c.get("config"), record: c.get("connection") },
      { limit, after },
    );
    if (!page.ok) return errorJson(page.failure);
    const body: MediaPage = page.value.value;
    return c.json(body, 200, { ...NO_STORE, "X-Relay-Cache": page.value.source });
  });
