const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// Called only while handling a request or a test helper: workerd forbids randomness at module scope.
/** `length` random alphanumeric characters from WebCrypto. */
export function randomAlphanumeric(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

/** An opaque token shaped like Instagram's (`IGAA...`). */
export function newAccessToken(): string {
  return `IGAA${randomAlphanumeric(140)}`;
}

/** An authorization code shaped like Instagram's (`AQB...`). */
export function newAuthorizationCode(): string {
  return `AQB${randomAlphanumeric(160)}`;
}

/** A Graph `fbtrace_id`. */
export function newTraceId(): string {
  return randomAlphanumeric(23);
}
