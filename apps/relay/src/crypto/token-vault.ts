import { fail, ok, type Result } from "../result.ts";
import { fromBase64Url, toBase64Url } from "./base64url.ts";
import type { KeyRing } from "./keys.ts";

/** Which record and field a ciphertext belongs to; bound in as AES-GCM additional data (S19). */
export interface VaultContext {
  connectionId: string;
  field: "access_token";
}

/** A decrypted field, with whether it should be re-encrypted under the newest key (S20). */
export interface OpenedField {
  plaintext: string;
  kid: string;
  stale: boolean;
}

const VERSION = "v1";

function additionalData(context: VaultContext, kid: string): Uint8Array {
  return new TextEncoder().encode(`${VERSION}|${context.connectionId}|${context.field}|${kid}`);
}

/**
 * Encrypts a secret field with AES-256-GCM under the newest key and a fresh 96-bit IV.
 * Output: `v1.<kid>.<iv>.<ciphertext>` (base64url), safe to store in a JSON record.
 *
 * @example
 * const sealed = await sealField(config.vault.keys, { connectionId, field: "access_token" }, token);
 */
export async function sealField(ring: KeyRing, context: VaultContext, plaintext: string): Promise<string> {
  const kid = ring.currentKid;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(context, kid) },
    await ring.aesKey(kid),
    new TextEncoder().encode(plaintext),
  );
  return [VERSION, kid, toBase64Url(iv), toBase64Url(ciphertext)].join(".");
}

/**
 * Decrypts a sealed field. Fails closed (never garbage) when the ciphertext was altered, was
 * moved from another record or field, or names a key that is no longer configured.
 */
export async function openField(
  ring: KeyRing,
  context: VaultContext,
  sealed: string,
): Promise<Result<OpenedField>> {
  const [version, kid, ivText, ciphertextText, extra] = sealed.split(".");
  const iv = ivText === undefined ? null : fromBase64Url(ivText);
  const ciphertext = ciphertextText === undefined ? null : fromBase64Url(ciphertextText);
  if (version !== VERSION || !kid || !iv || iv.length !== 12 || !ciphertext || extra !== undefined) {
    return fail({ code: "internal_error", reason: "vault_malformed_ciphertext" });
  }
  if (!ring.has(kid)) return fail({ code: "internal_error", reason: "vault_unknown_kid" });
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: additionalData(context, kid) },
      await ring.aesKey(kid),
      ciphertext,
    );
    return ok({ plaintext: new TextDecoder().decode(plaintext), kid, stale: kid !== ring.currentKid });
  } catch {
    return fail({ code: "internal_error", reason: "vault_authentication_failed" });
  }
}

/** The key id a sealed field names (`v1.<kid>....`), or null when it is not one. No decryption. */
export function sealedKid(sealed: string): string | null {
  const [version, kid] = sealed.split(".");
  return version === VERSION && kid ? kid : null;
}
