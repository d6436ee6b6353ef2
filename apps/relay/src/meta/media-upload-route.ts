import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { readUpload } from "../actions/uploads.ts";
import type { AppEnv } from "../app-env.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../log.ts";

/**
 * `GET /v1/uploads/:uploadId`: where Instagram fetches bytes an app uploaded for publishing.
 * No credential (Instagram sends none): the id is 128 random bits, the object is served only for
 * a day and deleted when its job ends (actions/uploads.ts). Anything else is a plain 404.
 */
export const mediaUploadRoute = new Hono<AppEnv>().get(ROUTES.mediaUpload, async (c) => {
  const object = await readUpload(c.env.MEDIA, c.req.param("uploadId"));
  if (!object) return errorJson({ code: "not_found", reason: "upload_unknown_or_expired" });
  logEvent("info", "upload.served", { size: object.size });
  return new Response(object.body, {
    headers: {
      "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "Content-Length": String(object.size),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
