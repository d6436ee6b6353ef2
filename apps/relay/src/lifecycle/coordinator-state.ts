import type { ConnectionRecord } from "../storage/connection-record.ts";

/**
 * What the connection's coordinator keeps in its own (strongly consistent) storage besides the
 * retry streak: the write-ahead copy of a record about to be written to KV, and the ledger of
 * every KV index key ever written for the connection. Both survive a failed KV write, so a
 * refreshed token is never lost (replayed on the next call) and removal finds every key even
 * when the KV record no longer parses.
 */
export interface CoordinatorState {
  /** The sealed record a KV write is about to store (null when none is pending). */
  pending(): ConnectionRecord | null;
  setPending(record: ConnectionRecord): void;
  clearPending(): void;
  /** KV index keys (`igid:`, `iguser:`, `due:`) written for this connection, not yet removed. */
  ownedKeys(): string[];
  addOwnedKeys(keys: string[]): void;
  /** Forgets everything (after removal). */
  clear(): void;
}

/** CoordinatorState backed by a Durable Object's synchronous KV storage. */
export function durableCoordinatorState(storage: DurableObjectStorage): CoordinatorState {
  return {
    pending: () => storage.kv.get<ConnectionRecord>("pending") ?? null,
    setPending: (record) => storage.kv.put("pending", record),
    clearPending: () => {
      storage.kv.delete("pending");
    },
    ownedKeys: () => storage.kv.get<string[]>("keys") ?? [],
    addOwnedKeys(keys) {
      const known = new Set(storage.kv.get<string[]>("keys") ?? []);
      const before = known.size;
      for (const key of keys) known.add(key);
      if (known.size !== before) storage.kv.put("keys", [...known]);
    },
    clear: () => {
      storage.kv.delete("pending");
      storage.kv.delete("keys");
      storage.kv.delete("retry");
    },
  };
}

/** An in-memory CoordinatorState (tests that drive a refresh outside its Durable Object). */
export function memoryCoordinatorState(): CoordinatorState {
  let pending: ConnectionRecord | null = null;
  const keys = new Set<string>();
  return {
    pending: () => pending,
    setPending: (record) => {
      pending = record;
    },
    clearPending: () => {
      pending = null;
    },
    ownedKeys: () => [...keys],
    addOwnedKeys: (added) => {
      for (const key of added) keys.add(key);
    },
    clear: () => {
      pending = null;
      keys.clear();
    },
  };
}
