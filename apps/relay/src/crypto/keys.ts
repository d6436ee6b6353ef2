import { fromBase64 } from "./base64url.ts";

/** One configured root key: its id (stored beside every ciphertext) and 32 raw bytes. */
export interface RootKey {
  kid: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** What each derived key is for; one HKDF `info` per purpose keeps the keys independent (S21). */
export type KeyPurpose =
  | "token-encryption"
  | "state-mac"
  | "credential-hash"
  /** Relay-issued attempt ids (oauth/attempt-id.ts). */
  | "attempt-mac"
  /** The consent flow sealed into its binding cookie (oauth/flow-state.ts). */
  | "flow-seal";

/** Purposes whose derived key is AES-256-GCM; every other purpose is an HMAC key. */
export type AesPurpose = "token-encryption" | "flow-seal";

const HKDF_SALT = new TextEncoder().encode("instagram-connect/relay/v1");

/**
 * Parses `TOKEN_ENCRYPTION_KEYS` (`k2:<base64 32 bytes>,k1:<base64>`, newest first).
 * Returns null when malformed, so config can name the setting without echoing it.
 */
export function parseRootKeys(value: string): RootKey[] | null {
  const keys: RootKey[] = [];
  for (const entry of value.split(",")) {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry.trim());
    if (!match?.[1] || !match[2]) return null;
    const bytes = fromBase64(match[2].replaceAll("-", "+").replaceAll("_", "/"));
    if (bytes?.length !== 32) return null;
    if (keys.some((key) => key.kid === match[1])) return null;
    keys.push({ kid: match[1], bytes });
  }
  return keys.length > 0 ? keys : null;
}

/**
 * The relay's keys: the newest root key signs and encrypts, every root key verifies and
 * decrypts. Derived CryptoKeys are cached per ring (one ring per parsed config).
 */
export class KeyRing {
  readonly #roots: RootKey[];
  readonly #cache = new Map<string, Promise<CryptoKey>>();

  constructor(roots: RootKey[]) {
    if (roots.length === 0) throw new Error("a key ring needs at least one key");
    this.#roots = roots;
  }

  /** Key id of the newest key (the one that encrypts and signs). */
  get currentKid(): string {
    return (this.#roots[0] as RootKey).kid;
  }

  /** All key ids, newest first. */
  get kids(): string[] {
    return this.#roots.map((root) => root.kid);
  }

  /** True when `kid` is configured. */
  has(kid: string): boolean {
    return this.#roots.some((root) => root.kid === kid);
  }

  /** The AES-256-GCM key for `kid` (token encryption unless another AES purpose is named). */
  aesKey(kid: string, purpose: AesPurpose = "token-encryption"): Promise<CryptoKey> {
    return this.#derive(kid, purpose, { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);
  }

  /** The HMAC-SHA-256 key for `kid` and a MAC purpose. */
  hmacKey(kid: string, purpose: Exclude<KeyPurpose, AesPurpose>): Promise<CryptoKey> {
    return this.#derive(kid, purpose, { name: "HMAC", hash: "SHA-256", length: 256 }, ["sign", "verify"]);
  }

  #derive(
    kid: string,
    purpose: KeyPurpose,
    algorithm: Parameters<SubtleCrypto["deriveKey"]>[2],
    usages: string[],
  ): Promise<CryptoKey> {
    const cacheKey = `${kid}|${purpose}`;
    let key = this.#cache.get(cacheKey);
    if (!key) {
      const root = this.#roots.find((candidate) => candidate.kid === kid);
      if (!root) return Promise.reject(new Error("unknown key id"));
      key = crypto.subtle.importKey("raw", root.bytes, "HKDF", false, ["deriveKey"]).then((base) =>
        crypto.subtle.deriveKey(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: HKDF_SALT,
            info: new TextEncoder().encode(`instagram-connect/${purpose}`),
          },
          base,
          algorithm,
          false,
          usages,
        ),
      );
      this.#cache.set(cacheKey, key);
    }
    return key;
  }
}
