/**
 * Meta's `signed_request` (deauthorize and data-deletion callbacks):
 * `base64url(HMAC-SHA256(payloadSegment, appSecret)) + "." + payloadSegment`, where payloadSegment is
 * the unpadded base64url of the JSON payload. All builders are async because WebCrypto HMAC is.
 *
 * @example
 * const valid = await buildSignedRequest({ algorithm: "HMAC-SHA256", issued_at: 1700000000, user_id: "1784..." }, secret);
 * const forged = tamperSignedRequest(valid, { user_id: "someone-else" }); // signature no longer matches
 */

const encoder = new TextEncoder();

/** Unpadded base64url of bytes or UTF-8 text. */
export function base64UrlEncode(input: Uint8Array | string): string {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Decodes (un)padded base64url to bytes. */
export function base64UrlDecode(segment: string): Uint8Array<ArrayBuffer> {
  const padded = segment.replaceAll("-", "+").replaceAll("_", "/");
  const binary = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    usage,
  ]);
}

/** Signs `payload` exactly as Meta does (signature over the encoded payload segment). */
export async function buildSignedRequest(payload: Record<string, unknown>, secret: string): Promise<string> {
  const payloadSegment = base64UrlEncode(JSON.stringify(payload));
  const key = await hmacKey(secret, "sign");
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(payloadSegment));
  return `${base64UrlEncode(new Uint8Array(signature))}.${payloadSegment}`;
}

/** Keeps the original signature but swaps in a changed payload: must fail verification. */
export function tamperSignedRequest(signedRequest: string, patch: Record<string, unknown>): string {
  const [signature = "", payloadSegment = ""] = signedRequest.split(".");
  const payload = JSON.parse(new TextDecoder().decode(base64UrlDecode(payloadSegment))) as Record<
    string,
    unknown
  >;
  return `${signature}.${base64UrlEncode(JSON.stringify({ ...payload, ...patch }))}`;
}

/** Same payload, signature bytes flipped: must fail verification. */
export function corruptSignedRequestSignature(signedRequest: string): string {
  const [signature = "", payloadSegment = ""] = signedRequest.split(".");
  const bytes = base64UrlDecode(signature).map((b) => b ^ 0xff);
  return `${base64UrlEncode(bytes)}.${payloadSegment}`;
}

/** A correctly signed request whose payload claims another algorithm (e.g. `HMAC-SHA1`): must be refused. */
export function signedRequestWithAlgorithm(
  payload: Record<string, unknown>,
  algorithm: string,
  secret: string,
): Promise<string> {
  return buildSignedRequest({ ...payload, algorithm }, secret);
}

/** Verifies a signed request (constant-time via WebCrypto) and returns its payload, or `undefined`. */
export async function verifySignedRequest(
  signedRequest: string,
  secret: string,
): Promise<Record<string, unknown> | undefined> {
  const parts = signedRequest.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  try {
    const key = await hmacKey(secret, "verify");
    const valid = await crypto.subtle.verify(
      "HMAC",
      key,
      base64UrlDecode(parts[0]),
      encoder.encode(parts[1]),
    );
    if (!valid) return undefined;
    const payload: unknown = JSON.parse(new TextDecoder().decode(base64UrlDecode(parts[1])));
    if (typeof payload !== "object" || payload === null) return undefined;
    const record = payload as Record<string, unknown>;
    return record.algorithm === "HMAC-SHA256" ? record : undefined;
  } catch {
    return undefined;
  }
}
