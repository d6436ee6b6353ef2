import { toBase64Url } from "./base64url.ts";
import { constantTimeEqual } from "./constant-time.ts";
import type { AesPurpose, KeyPurpose, KeyRing } from "./keys.ts";

type MacPurpose = Exclude<KeyPurpose, AesPurpose>;

/** base64url HMAC-SHA-256 of `message` under the `purpose` key derived from root key `kid`. */
export async function macWith(
  ring: KeyRing,
  kid: string,
  purpose: MacPurpose,
  message: string,
): Promise<string> {
  const key = await ring.hmacKey(kid, purpose);
  return toBase64Url(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

/** True when `mac` is the MAC of `message` under any configured key (old keys still verify). */
export async function verifyMacAnyKey(
  ring: KeyRing,
  purpose: MacPurpose,
  message: string,
  mac: string,
): Promise<boolean> {
  let matched = false;
  for (const kid of ring.kids) {
    // No early exit: every key is tried so timing does not tell which key matched.
    if (constantTimeEqual(await macWith(ring, kid, purpose, message), mac)) matched = true;
  }
  return matched;
}
