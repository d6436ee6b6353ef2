import {
  type DataDeletionResponse,
  type DeauthorizeResponse,
  type DeletionStatusResponse,
  ROUTES,
  routePath,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { randomToken } from "../crypto/base64url.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { logEvent } from "../log.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import { FailureError, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { readDeletionRecord, saveDeletionRecord } from "./deletion-record.ts";
import { deletionStatusPage } from "./deletion-status-page.ts";
import { removeInstagramUser } from "./remove-instagram-user.ts";
import { type SignedRequestPayload, verifySignedRequest } from "./signed-request.ts";

const metaLimit = rateLimit<AppEnv>({ family: "meta", key: clientIpKey });
const MAX_BODY_BYTES = 8 * 1024;

/**
 * Meta's callbacks (Instagram app dashboard): deauthorize and data deletion, both a
 * form-urlencoded `signed_request`; and the deletion status URL handed back to Meta. A bad,
 * forged, wrong-algorithm or stale request is a 400 `invalid_signed_request` and deletes nothing.
 */
export const metaRoutes = new Hono<AppEnv>()
  // Per-IP limit on both callbacks before any signature check or body read (S32).
  .use(ROUTES.metaDeauthorize, metaLimit)
  .use(ROUTES.metaDataDeletion, metaLimit)
  .post(ROUTES.metaDeauthorize, async (c) => {
    const payload = await signedPayload(c);
    const removed = await removeInstagramUser(c.env, payload.userId, "deauthorized", "meta_deauthorize");
    logEvent("info", "meta_deauthorize", { connections: removed.length });
    return c.json<DeauthorizeResponse>({ received: true }, 200, NO_STORE);
  })
  .post(ROUTES.metaDataDeletion, async (c) => {
    const payload = await signedPayload(c);
    const requestedAt = new Date(now()).toISOString();
    const removed = await removeInstagramUser(c.env, payload.userId, "deleted", "meta_data_deletion");
    const confirmationCode = randomToken(16);
    await saveDeletionRecord(c.env.CONNECTIONS, {
      confirmationCode,
      status: "completed",
      dataFound: removed.length > 0,
      requestedAt,
      completedAt: new Date(now()).toISOString(),
    });
    logEvent("info", "meta_data_deletion", { connections: removed.length, confirmationCode });
    // The relay's own origin from config, never from a Host or X-Forwarded-Host header.
    const origin = new URL(c.get("config").oauth.redirectUri).origin;
    const url = `${origin}${routePath(ROUTES.metaDeletionStatus, { code: confirmationCode })}`;
    return c.json<DataDeletionResponse>({ url, confirmation_code: confirmationCode }, 200, NO_STORE);
  })
  .get(ROUTES.metaDeletionStatus, async (c) => {
    const status = await readDeletionRecord(c.env.CONNECTIONS, c.req.param("code"));
    if (!wantsJson(c.req.header("Accept"))) return deletionStatusPage(status);
    if (!status) return errorJson({ code: "deletion_not_found" });
    return c.json<DeletionStatusResponse>(status, 200, NO_STORE);
  });

/** Reads and verifies the form's `signed_request`; throws the contract failure otherwise. */
async function signedPayload(c: Context<AppEnv>): Promise<SignedRequestPayload> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new FailureError({ code: "invalid_signed_request", reason: "signed_request:not_form" });
  }
  if (Number(c.req.header("Content-Length") ?? 0) > MAX_BODY_BYTES) {
    throw new FailureError({ code: "payload_too_large", reason: "meta_body" });
  }
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES)
    throw new FailureError({ code: "payload_too_large", reason: "meta_body" });
  const text = new TextDecoder().decode(bytes);
  const values = new URLSearchParams(text).getAll("signed_request");
  if (values.length !== 1 || !values[0]) {
    throw new FailureError({ code: "invalid_signed_request", reason: "signed_request:missing_or_repeated" });
  }
  const settings = unwrap(c.get("config").lifecycle);
  return unwrap(
    await verifySignedRequest(values[0], c.get("config").oauth.clientSecret, {
      nowMs: now(),
      maxAgeMs: settings.signedRequestMaxAgeMs,
    }),
  );
}

function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}
