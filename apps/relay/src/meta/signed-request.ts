import * as z from "zod/mini";
import { fromBase64Url } from "../crypto/base64url.ts";
import { parseJsonKeepingIds } from "../instagram/raw-json.ts";
import { fail, ok, type Result } from "../result.ts";

/** A verified Meta `signed_request` payload. */
export interface SignedRequestPayload {
  /** The Instagram id Meta names (app-scoped or professional: match both). */
  userId: string;
  /** Epoch seconds. */
  issuedAt: number;
}

/** Limits of the freshness check. */
export interface FreshnessPolicy {
  nowMs: number;
  maxAgeMs: number;
}

/** How far `issued_at` may lie in the future (clock skew between Meta and us). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

const payloadSchema = z.object({
  algorithm: z.string(),
  issued_at: z.number(),
  // Already a string when a bare number: raw-json quotes 17-digit ids before parsing.
  user_id: z.union([z.string(), z.number()]),
  expires: z.optional(z.number()),
});

const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * Verifies Meta's `signed_request` (`base64url(sig).base64url(payload)`, unpadded): the
 * signature is HMAC-SHA256 over the ENCODED payload segment with the app secret, checked in
 * constant time by WebCrypto; `algorithm` must be exactly `HMAC-SHA256`; `issued_at` must be
 * recent and not in the future beyond a small skew; `expires`, when present, not passed.
 * Every failure is `invalid_signed_request`; the precise reason is for the log only.
 *
 * @example
 * const payload = await verifySignedRequest(value, config.oauth.clientSecret, { nowMs: now(), maxAgeMs: 3_600_000 });
 */
export async function verifySignedRequest(
  signedRequest: string,
  appSecret: string,
  freshness: FreshnessPolicy,
): Promise<Result<SignedRequestPayload>> {
  const parts = signedRequest.split(".");
  const [signatureText, payloadText] = parts;
  if (parts.length !== 2 || !signatureText || !payloadText) return refuse("malformed");
  const signature = fromBase64Url(signatureText);
  const payloadBytes = fromBase64Url(payloadText);
  if (!signature || !payloadBytes || signature.length !== 32) return refuse("malformed_segment");
  const valid = await crypto.subtle.verify(
    "HMAC",
    await hmacKey(appSecret),
    signature,
    new TextEncoder().encode(payloadText),
  );
  if (!valid) return refuse("bad_signature");

  const parsed = payloadSchema.safeParse(parseJsonKeepingIds(decodeUtf8(payloadBytes) ?? ""));
  if (!parsed.success) return refuse("malformed_payload");
  const payload = parsed.data;
  if (payload.algorithm !== "HMAC-SHA256") return refuse("wrong_algorithm");
  const issuedAtMs = payload.issued_at * 1000;
  if (!Number.isFinite(issuedAtMs) || freshness.nowMs - issuedAtMs > freshness.maxAgeMs) {
    return refuse("stale");
  }
  if (issuedAtMs - freshness.nowMs > MAX_FUTURE_SKEW_MS) return refuse("issued_in_future");
  if (payload.expires !== undefined && payload.expires * 1000 <= freshness.nowMs) return refuse("expired");
  const userId = String(payload.user_id);
  if (!/^\d{1,30}$/.test(userId)) return refuse("malformed_user_id");
  return ok({ userId, issuedAt: payload.issued_at });
}

function refuse(reason: string): Result<never> {
  return fail({ code: "invalid_signed_request", reason: `signed_request:${reason}` });
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    );
    keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}
