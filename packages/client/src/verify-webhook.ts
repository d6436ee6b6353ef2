import { WEBHOOK_EVENTS, WEBHOOK_HEADERS, type WebhookEvent } from "@instagram-connect/types";
import { signWebhook } from "./sign-webhook.ts";

/** Input of `verifyWebhook`. */
export interface VerifyWebhookInput {
  /** The raw request body, exactly as received (verify before parsing). */
  body: string;
  /** The request's headers (a `Headers` or a plain record, any case). */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** `WEBHOOK_SECRET` as configured on the relay. */
  secret: string;
  /** Largest accepted age (and clock skew) of the signature, seconds. Default 300. */
  toleranceSeconds?: number;
  /** Current time in epoch ms (tests). Default `Date.now()`. */
  now?: () => number;
}

/** Why a delivery was refused. */
export type WebhookFailure = "missing_headers" | "stale_timestamp" | "bad_signature" | "malformed_body";

/** The verified event, or why it was refused. */
export type VerifyWebhookResult = { ok: true; event: WebhookEvent } | { ok: false; reason: WebhookFailure };

/**
 * Verifies a relay webhook: `X-IC-Signature: v1=<hex HMAC-SHA256(secret, "<X-IC-Timestamp>.<body>")>`
 * compared in constant time, and a timestamp within `toleranceSeconds` (replay window). Dedupe
 * on `event.id`: retries repeat it.
 * @example
 * const result = await verifyWebhook({ body: await request.text(), headers: request.headers, secret });
 * if (!result.ok) return new Response(null, { status: 400 });
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<VerifyWebhookResult> {
  const timestamp = header(input.headers, WEBHOOK_HEADERS.timestamp);
  const signature = header(input.headers, WEBHOOK_HEADERS.signature);
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: "missing_headers" };
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((input.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return { ok: false, reason: "stale_timestamp" };
  const expected = await signWebhook(input.secret, timestamp, input.body);
  // Several comma-separated signatures are allowed (secret rotation); any match verifies.
  const candidates = signature.split(",").map((part) => part.trim());
  let matched = false;
  for (const candidate of candidates) if (constantTimeEqual(candidate, expected)) matched = true;
  if (!matched) return { ok: false, reason: "bad_signature" };
  const event = parseEvent(input.body);
  return event ? { ok: true, event } : { ok: false, reason: "malformed_body" };
}

function header(headers: VerifyWebhookInput["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

function parseEvent(body: string): WebhookEvent | null {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null) return null;
    const { id, type, createdAt, data } = value as Record<string, unknown>;
    const known = (WEBHOOK_EVENTS as readonly unknown[]).includes(type);
    const fields = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : null;
    // Every event names its connection, except a security.anomaly about an API key.
    const hasSubject =
      fields !== null &&
      (typeof fields.connectionId === "string" ||
        (type === "security.anomaly" &&
          fields.connectionId === undefined &&
          typeof fields.anomaly === "object"));
    return typeof id === "string" && known && typeof createdAt === "string" && hasSubject
      ? (value as WebhookEvent)
      : null;
  } catch {
    return null;
  }
}
