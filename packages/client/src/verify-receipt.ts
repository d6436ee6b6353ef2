import type { ConnectReceiptClaims } from "@instagram-connect/types";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";

/** Why a receipt was refused. */
export type ReceiptFailure =
  | "malformed"
  | "invalid_signature"
  | "unknown_key"
  | "expired"
  | "invalid_claims"
  | "wrong_origin"
  | "wrong_issuer";

/** Outcome of `verifyConnectReceipt`. */
export type VerifyReceiptResult =
  | { ok: true; claims: ConnectReceiptClaims }
  | { ok: false; reason: ReceiptFailure };

/** Options of `verifyConnectReceipt`. */
export interface VerifyReceiptOptions {
  /** The relay's JWKS (`<relay>/.well-known/jwks.json`): the set itself, or its URL (fetched once, then cached). */
  jwks: JSONWebKeySet | string | URL;
  /** Expected `origin` claim: your site's origin. */
  origin?: string;
  /** Expected issuer: the relay's origin. */
  issuer?: string;
  /** The current time in ms (tests). */
  now?: number;
}

const RECEIPT_TYPE = "ic-connect-receipt+jwt";
const remoteSets = new Map<string, JWTVerifyGetKey>();

function keySet(jwks: VerifyReceiptOptions["jwks"]): JWTVerifyGetKey {
  if (typeof jwks !== "string" && !(jwks instanceof URL)) return createLocalJWKSet(jwks);
  const url = String(jwks);
  let set = remoteSets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    remoteSets.set(url, set);
  }
  return set;
}

/**
 * Verifies a connect receipt (the compact JWS the widget's `onConnect` receives) offline against
 * the relay's public keys: EdDSA signature, `typ`, expiry, and optionally the origin and issuer.
 * A site's server uses it to trust which connection its page reports, for which end user.
 * @example
 * const result = await verifyConnectReceipt(receipt, { jwks: "https://relay.example.com/.well-known/jwks.json", origin: "https://app.example.com" });
 * if (result.ok) await saveConnection(result.claims.endUserId, result.claims.sub);
 */
export async function verifyConnectReceipt(
  receipt: string,
  options: VerifyReceiptOptions,
): Promise<VerifyReceiptResult> {
  try {
    const { payload } = await jwtVerify(receipt, keySet(options.jwks), {
      algorithms: ["EdDSA", "Ed25519"],
      typ: RECEIPT_TYPE,
      requiredClaims: ["iss", "sub", "iat", "exp"],
      ...(options.issuer ? { issuer: options.issuer } : {}),
      ...(options.now !== undefined ? { currentDate: new Date(options.now) } : {}),
    });
    const { iss, sub, iat, exp, endUserId, instagramUserId, origin } = payload;
    if (
      typeof iss !== "string" ||
      typeof sub !== "string" ||
      typeof iat !== "number" ||
      typeof exp !== "number" ||
      (endUserId !== null && typeof endUserId !== "string") ||
      typeof instagramUserId !== "string" ||
      typeof origin !== "string"
    ) {
      return { ok: false, reason: "invalid_claims" };
    }
    if (options.origin !== undefined && origin !== options.origin)
      return { ok: false, reason: "wrong_origin" };
    return { ok: true, claims: { iss, sub, iat, exp, endUserId, instagramUserId, origin } };
  } catch (error) {
    return { ok: false, reason: failureOf(error) };
  }
}

function failureOf(error: unknown): ReceiptFailure {
  if (error instanceof errors.JWSSignatureVerificationFailed) return "invalid_signature";
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown_key";
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "iss" ? "wrong_issuer" : "invalid_claims";
  }
  return "malformed";
}
