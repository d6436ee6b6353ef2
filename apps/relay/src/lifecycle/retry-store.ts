/** A connection's transient-failure streak and when the next refresh attempt may run. */
export interface RetryState {
  failures: number;
  /** Epoch ms (relay clock). */
  nextAttemptAt: number;
}

/** Where the coordinator keeps a connection's retry state (its own storage in production). */
export interface RetryStore {
  get(): RetryState | undefined;
  set(state: RetryState): void;
  clear(): void;
}

/** A RetryStore backed by a Durable Object's synchronous KV storage. */
export function durableRetryStore(storage: DurableObjectStorage): RetryStore {
  const KEY = "retry";
  return {
    get: () => storage.kv.get<RetryState>(KEY),
    set: (state) => storage.kv.put(KEY, state),
    clear: () => {
      storage.kv.delete(KEY);
    },
  };
}

/** An in-memory RetryStore (tests that drive a refresh outside its Durable Object). */
export function memoryRetryStore(initial?: RetryState): RetryStore {
  let state = initial;
  return {
    get: () => state,
    set: (next) => {
      state = next;
    },
    clear: () => {
      state = undefined;
    },
  };
}
