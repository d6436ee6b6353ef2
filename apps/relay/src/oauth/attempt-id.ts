import { fromBase64Url, toBase64Url } from "../crypto/base64url.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import type { KeyRing } from "../crypto/keys.ts";
import { fail, ok, type Result } from "../result.ts";
import { FLOW_TTL_MS } from "./flow-types.ts";

// Layout (37 bytes, 50 base64url chars): version | expiry (u32 seconds) | 128-bit nonce | MAC
// (HMAC-SHA-256 truncated to 128 bits, RFC 2104 section 5). Fixed width, so parsing is slicing.
const VERSION = 1;
const HEAD_BYTES = 1 + 4 + 16;
const MAC_BYTES = 16;
const ID_LENGTH = 50;
const ID_FORMAT = /^[A-Za-z0-9_-]{50}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A relay-issued attempt: its public id and when it stops being usable (epoch ms). */
export interface IssuedAttempt {
  attemptId: string;
  expiresAt: number;
}

/**
 * Issues an attempt id bound to the widget's `challenge` (S35): an expiry, a random nonce and a
 * MAC under the newest `attempt-mac` key over both and the challenge. Nothing is stored: a poll
 * or start proves the id with the MAC alone, so an id the relay never issued, or one presented
 * with another challenge (verifier), is refused before any Durable Object is touched.
 */
export async function issueAttemptId(
  ring: KeyRing,
  challenge: string,
  nowMs: number,
): Promise<IssuedAttempt> {
  // Rounded down to whole seconds: never later than FLOW_TTL_MS after issue.
  const expiresAt = Math.floor((nowMs + FLOW_TTL_MS) / 1000) * 1000;
  const head = new Uint8Array(HEAD_BYTES);
  head[0] = VERSION;
  new DataView(head.buffer).setUint32(1, expiresAt / 1000);
  head.set(crypto.getRandomValues(new Uint8Array(16)), 5);
  const mac = await attemptMac(ring, ring.currentKid, head, challenge);
  const id = new Uint8Array(HEAD_BYTES + MAC_BYTES);
  id.set(head);
  id.set(mac, HEAD_BYTES);
  return { attemptId: toBase64Url(id), expiresAt };
}

/**
 * Whether `attemptId` was issued by this relay (under any configured key) for `challenge` and
 * is still live. Pure computation: two HMACs per configured key at most, no storage.
 */
export async function verifyAttemptId(
  ring: KeyRing,
  attemptId: string,
  challenge: string,
  nowMs: number,
): Promise<Result<IssuedAttempt>> {
  const bytes = ID_FORMAT.test(attemptId) ? fromBase64Url(attemptId) : null;
  // Canonical encoding only: the last character has spare bits, and one attempt must have one
  // name (its Durable Object is named by the string).
  if (
    bytes?.length !== HEAD_BYTES + MAC_BYTES ||
    toBase64Url(bytes) !== attemptId ||
    bytes[0] !== VERSION ||
    !CHALLENGE.test(challenge)
  ) {
    return notFound("malformed");
  }
  const head = bytes.slice(0, HEAD_BYTES);
  const given = toBase64Url(bytes.slice(HEAD_BYTES));
  let matched = false;
  // Every key is tried, no early exit: timing does not tell which key (if any) matched.
  for (const kid of ring.kids) {
    if (constantTimeEqual(toBase64Url(await attemptMac(ring, kid, head, challenge)), given)) matched = true;
  }
  if (!matched) return notFound("forged");
  const expiresAt = attemptExpiresAt(attemptId) ?? 0;
  if (expiresAt <= nowMs) return notFound("expired");
  return ok({ attemptId, expiresAt });
}

/** The expiry written in an attempt id already verified (e.g. read from a sealed flow); no MAC check. */
export function attemptExpiresAt(attemptId: string): number | null {
  const bytes = attemptId.length === ID_LENGTH ? fromBase64Url(attemptId) : null;
  if (!bytes || bytes.length < 5) return null;
  return new DataView(bytes.buffer).getUint32(1) * 1000;
}

async function attemptMac(
  ring: KeyRing,
  kid: string,
  head: Uint8Array,
  challenge: string,
): Promise<Uint8Array> {
  const key = await ring.hmacKey(kid, "attempt-mac");
  const message = new TextEncoder().encode(`instagram-connect/attempt/v1|${toBase64Url(head)}|${challenge}`);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, message)).slice(0, MAC_BYTES);
}

function notFound(reason: string): Result<never> {
  return fail({ code: "attempt_not_found", reason: `attempt_${reason}` });
}
