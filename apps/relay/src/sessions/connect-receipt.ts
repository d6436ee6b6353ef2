import type { ConnectReceiptClaims } from "@instagram-connect/types";
import { exportJWK, type JWK, SignJWT } from "jose";
import type { SessionSettings } from "../config/relay-config.ts";

/** How long a receipt verifies: the page hands it to its server right after the consent. */
export const RECEIPT_TTL_S = 10 * 60;

/** The JWS `typ` of a receipt, so no other token of ours can pass for one. */
export const RECEIPT_TYPE = "ic-connect-receipt+jwt";

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): WebCrypto imports private keys as
// PKCS#8 or JWK only, and a JWK needs the public half, which only the import can compute.
const PKCS8_ED25519_PREFIX = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const imported = new WeakMap<SessionSettings["receiptKeys"], Promise<SigningKey[]>>();

function signingKeys(keys: SessionSettings["receiptKeys"]): Promise<SigningKey[]> {
  let pending = imported.get(keys);
  if (!pending) {
    pending = Promise.all(
      keys.map(async ({ kid, seed }) => {
        const pkcs8 = new Uint8Array([...PKCS8_ED25519_PREFIX, ...seed]);
        const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
        const { kty, crv, x } = await exportJWK(privateKey);
        return { kid, privateKey, publicJwk: { kty, crv, x, kid, alg: "EdDSA", use: "sig" } as JWK };
      }),
    );
    imported.set(keys, pending);
  }
  return pending;
}

/**
 * Signs a connect receipt with the newest key (compact JWS, EdDSA): what a site's server
 * verifies offline with `verifyConnectReceipt` to trust what its page reports. Null when the
 * relay has no signing key.
 */
export async function signConnectReceipt(
  settings: SessionSettings,
  claims: Omit<ConnectReceiptClaims, "iat" | "exp">,
  nowMs: number,
): Promise<string | null> {
  const [current] = await signingKeys(settings.receiptKeys);
  if (!current) return null;
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({
    endUserId: claims.endUserId,
    instagramUserId: claims.instagramUserId,
    origin: claims.origin,
  })
    .setProtectedHeader({ alg: "EdDSA", kid: current.kid, typ: RECEIPT_TYPE })
    .setIssuer(claims.iss)
    .setSubject(claims.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + RECEIPT_TTL_S)
    .sign(current.privateKey);
}

/** The JWKS of every configured key (old ones stay listed so receipts they signed still verify). */
export async function receiptJwks(settings: SessionSettings): Promise<{ keys: JWK[] }> {
  return { keys: (await signingKeys(settings.receiptKeys)).map((key) => key.publicJwk) };
}
