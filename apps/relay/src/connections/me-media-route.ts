import { type MediaPage, ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { MEDIA_CURSOR, MEDIA_LIMIT, readMediaPage } from "../cache/connection-reads.ts";
import { errorJson } from "../http/errors.ts";
import { credentialAuth } from "./credential-auth.ts";

/**
 * `GET /v1/connections/me/media?limit=12&after=<cursor>` with the widget's bearer credential:
 * one `MediaPage` read through the stored token (which never leaves the relay), cached and
 * within the account's upstream budget. `limit` 1..50 (default 12); `after` is the previous
 * page's `nextCursor`.
 */
export const meMediaRoute = new Hono<AppEnv>()
  .use(ROUTES.connectionMeMedia, credentialAuth)
  .get(ROUTES.connectionMeMedia, async (c) => {
    const limitParam = c.req.query("limit");
    const after = c.req.query("after");
    const limit = limitParam === undefined ? MEDIA_LIMIT.default : Number(limitParam);
    const limitOk =
      (limitParam === undefined || /^\d{1,3}$/.test(limitParam)) &&
      limit >= MEDIA_LIMIT.min &&
      limit <= MEDIA_LIMIT.max;
    if (!limitOk || (after !== undefined && !MEDIA_CURSOR.test(after))) {
      return errorJson({ code: "invalid_request", reason: limitOk ? "bad_cursor" : "bad_limit" });
    }
    const page = await readMediaPage(
      { env: c.env, config: c.get("config"), record: c.get("connection") },
      { limit, after },
    );
    if (!page.ok) return errorJson(page.failure);
    const body: MediaPage = page.value.value;
    return c.json(body, 200, { "Cache-Control": "no-store", "X-Relay-Cache": page.value.source });
  });
