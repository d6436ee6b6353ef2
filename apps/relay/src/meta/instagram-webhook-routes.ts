import { ROUTES } from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { errorJson } from "../http/errors.ts";
import { NO_STORE } from "../http/security-headers.ts";
import { logEvent } from "../log.ts";
import { fanOutInstagramWebhook } from "./instagram-webhook-fanout.ts";

/** Meta batches up to 1,000 changes per delivery; this bounds the body read before verifying it. */
const MAX_BODY_BYTES = 1024 * 1024;
const SIGNATURE_HEADER = "X-Hub-Signature-256";
/** Meta's challenge is a number; anything else is not echoed (it would be reflected as-is). */
const CHALLENGE = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Instagram's webhooks (../shared/instagram-api-actions.md §4): `GET` is the dashboard's
 * verification handshake, answered with the bare `hub.challenge` when `hub.verify_token` equals
 * `INSTAGRAM_WEBHOOK_VERIFY_TOKEN` (403 otherwise, or when the token is not configured). `POST`
 * is a delivery: `X-Hub-Signature-256` must be the HMAC-SHA256 of the raw body under the
 * Instagram app secret (checked in constant time before parsing; 401 and nothing fanned out
 * otherwise). Entries are then fanned out as our own signed webhooks (`instagram-webhook-fanout.ts`).
 */
export const instagramWebhookRoutes = new Hono<AppEnv>()
  .get(ROUTES.instagramWebhooks, (c) => {
    const configured = c.get("config").actions.webhookVerifyToken;
    const mode = c.req.query("hub.mode");
    const presented = c.req.query("hub.verify_token") ?? "";
    const challenge = c.req.query("hub.challenge") ?? "";
    const matches = configured !== null && constantTimeEqual(presented, configured);
    if (mode !== "subscribe" || !matches || !CHALLENGE.test(challenge)) {
      logEvent("warn", "instagram_webhook.verify_refused", {
        reason:
          configured === null
            ? "not_configured"
            : mode !== "subscribe"
              ? "mode"
              : !matches
                ? "token"
                : "challenge",
      });
      return errorJson({ code: "forbidden", reason: "instagram_webhook_verify" });
    }
    return c.text(challenge, 200, { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" });
  })
  .post(ROUTES.instagramWebhooks, async (c) => {
    const body = await rawBody(c);
    if (body === null) return errorJson({ code: "payload_too_large", reason: "instagram_webhook_body" });
    const signature = c.req.header(SIGNATURE_HEADER) ?? "";
    const expected = `sha256=${await hmacHex(c.get("config").oauth.clientSecret, body)}`;
    if (!/^sha256=[0-9a-f]{64}$/.test(signature) || !constantTimeEqual(signature, expected)) {
      logEvent("warn", "instagram_webhook.signature_refused", { reason: signature ? "mismatch" : "missing" });
      return errorJson({ code: "unauthorized", reason: "instagram_webhook_signature" });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return errorJson({ code: "invalid_request", reason: "instagram_webhook_not_json" });
    }
    const outcome = await fanOutInstagramWebhook(c.env, c.get("config"), payload);
    logEvent("info", "instagram_webhook.received", { ...outcome });
    // Meta only needs a fast 200; deliveries to the app leave through the outbox.
    return c.json({ received: true }, 200, NO_STORE);
  });

async function rawBody(c: Context<AppEnv>): Promise<Uint8Array | null> {
  if (Number(c.req.header("Content-Length") ?? "0") > MAX_BODY_BYTES) return null;
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return bytes.byteLength > MAX_BODY_BYTES ? null : bytes;
}

async function hmacHex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
