import type { ConnectionHandle } from "@instagram-connect/types";

/**
 * Where the connection handle is kept: `memory` (until reload), `session` (this tab) or
 * `local` (default: across reloads and visits).
 */
export type StorageMode = "memory" | "session" | "local";

/** Reads and writes the handle stored for one relay. Browser-only: call from effects/handlers. */
export interface CredentialStore {
  read(): ConnectionHandle | null;
  /** Stores `handle`, or forgets it when null. */
  write(handle: ConnectionHandle | null): void;
}

// `memory` mode: a Storage-shaped object living as long as the page.
const memory: Record<string, string> = {};
// (A missing key reads as undefined, which `read` treats like Storage's null.)
const memoryStorage = {
  getItem: (k: string): string | undefined => memory[k],
  setItem: (k: string, v: string) => (memory[k] = v),
  removeItem: (k: string) => delete memory[k],
};

/** The storage key for a relay: one namespace per relay URL, so two relays never share a handle. */
export const storageKey = (relayUrl: string, kind = "handle"): string =>
  `instagram-connect:${kind}:${relayUrl}`;

/** Opens the credential store for `relayUrl`; storage that throws (private mode, blocked) acts as empty. */
export function credentialStore(relayUrl: string, mode: StorageMode = "local"): CredentialStore {
  const key = storageKey(relayUrl);
  const storage = () =>
    mode === "memory" ? memoryStorage : mode === "session" ? sessionStorage : localStorage;
  return {
    read: () => {
      try {
        const value = JSON.parse(storage().getItem(key) ?? "0");
        return value?.credential ? value : null;
      } catch {
        return null;
      }
    },
    write: (handle) => {
      try {
        handle ? storage().setItem(key, JSON.stringify(handle)) : storage().removeItem(key);
      } catch {}
    },
  };
}
