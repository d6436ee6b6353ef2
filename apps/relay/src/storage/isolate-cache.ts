/**
 * A per-isolate map whose entries hold until `ttlMs` after they were set, at most `maxEntries`
 * (the oldest set goes first: a Map keeps insertion order). Module state is per isolate, which is
 * exactly the scope these caches are meant to have; a Worker isolate is single-threaded.
 */
export class IsolateCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  /** The value set for `key` less than `ttlMs` before `nowMs`, else undefined (an expired one is dropped). */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until > nowMs) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** Sets `key` (as the newest entry), dropping the oldest beyond `maxEntries`. */
  set(key: string, value: V, nowMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, until: nowMs + this.ttlMs });
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Drops `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}
