import { randomToken } from "../crypto/base64url.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import type { KeyRing } from "../crypto/keys.ts";
import { macWith } from "../crypto/mac.ts";

/** A credential as presented: the connection it claims and the whole bearer string. */
export interface PresentedCredential {
  connectionId: string;
  credential: string;
}

const CONNECTION_ID = /^conn_[A-Za-z0-9_-]{22}$/;

/** A fresh relay connection id (`conn_` + 128 random bits). */
export function newConnectionId(): string {
  return `conn_${randomToken(16)}`;
}

/**
 * Issues the widget's credential for one connection: `<connectionId>.<256 random bits>`.
 * Only `hash` is stored: `<kid>:<HMAC(credential-hash key, credential)>`.
 */
export async function issueCredential(
  ring: KeyRing,
  connectionId: string,
): Promise<{ credential: string; hash: string }> {
  const credential = `${connectionId}.${randomToken(32)}`;
  return { credential, hash: await hashCredential(ring, ring.currentKid, credential) };
}

/** Reads `Authorization: Bearer <connectionId>.<secret>`; null when absent or malformed. */
export function parseBearerCredential(header: string | undefined): PresentedCredential | null {
  const match = /^Bearer ([^\s.]+)\.([A-Za-z0-9_-]{43})$/.exec(header ?? "");
  if (!match?.[1] || !CONNECTION_ID.test(match[1])) return null;
  return { connectionId: match[1], credential: `${match[1]}.${match[2]}` };
}

/** True when `credential` hashes to `storedHash` (constant-time; the stored kid picks the key). */
export async function verifyCredential(
  ring: KeyRing,
  credential: string,
  storedHash: string,
): Promise<boolean> {
  const separator = storedHash.indexOf(":");
  const kid = storedHash.slice(0, separator);
  if (separator < 1 || !ring.has(kid)) return false;
  return constantTimeEqual(await hashCredential(ring, kid, credential), storedHash);
}

/** True when `credential` matches the newest credential or one of the earlier ones (newest first). */
export async function verifyAnyCredential(
  ring: KeyRing,
  credential: string,
  record: { credentialHash: string; earlierCredentialHashes?: string[] | undefined },
): Promise<boolean> {
  for (const hash of [record.credentialHash, ...(record.earlierCredentialHashes ?? [])]) {
    if (await verifyCredential(ring, credential, hash)) return true;
  }
  return false;
}

/**
 * The hash of an already verified credential under the newest key, or null when `storedHash`
 * already uses it (key rotation: rewritten on use, S20).
 */
export async function credentialHashUnderNewestKey(
  ring: KeyRing,
  credential: string,
  storedHash: string,
): Promise<string | null> {
  if (storedHash.startsWith(`${ring.currentKid}:`)) return null;
  return hashCredential(ring, ring.currentKid, credential);
}

async function hashCredential(ring: KeyRing, kid: string, credential: string): Promise<string> {
  return `${kid}:${await macWith(ring, kid, "credential-hash", credential)}`;
}
