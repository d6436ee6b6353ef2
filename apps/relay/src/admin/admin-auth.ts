import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { errorJson } from "../http/errors.ts";
import { logEvent } from "../log.ts";

const UNAUTHORIZED_HEADERS = { "WWW-Authenticate": 'Bearer realm="instagram-connect-admin"' };

/**
 * The admin family's gate. No `ADMIN_SECRET`: the family does not exist (404, like any unknown
 * route). A too-short one: `config_error` naming `ADMIN_SECRET`. Otherwise the bearer must equal
 * the secret: both are hashed first so the constant-time compare also hides the length. The
 * presented value is never logged; the log says only why a request was refused.
 */
export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const settings = c.get("config").admin;
  if (!settings.ok) {
    const { failure } = settings;
    logEvent("error", "admin.config_error", {
      setting: failure.code === "config_error" ? failure.setting : undefined,
      reason: failure.reason,
    });
    return errorJson(failure);
  }
  if (settings.value === null) return errorJson({ code: "not_found", reason: "admin_disabled" });
  const presented = /^Bearer (\S+)$/.exec(c.req.header("Authorization") ?? "")?.[1] ?? "";
  const [given, expected] = await Promise.all([sha256(presented), sha256(settings.value.secret)]);
  if (!presented || !constantTimeEqual(given, expected)) {
    logEvent("warn", "admin.refused", { reason: presented ? "wrong_secret" : "missing_secret" });
    return errorJson({ code: "unauthorized", reason: "admin_secret" }, UNAUTHORIZED_HEADERS);
  }
  await next();
};

async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}
