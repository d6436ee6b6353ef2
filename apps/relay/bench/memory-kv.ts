/**
 * A KV-shaped in-memory map for the sweep benchmark only: `list` with prefix, limit and cursor in
 * key order (as KV pages), `put`, `delete`, `get`. Lets the sweep run over 100k index entries in
 * seconds; the local-KV runs of sweep.bench-run.ts check that it pages like the real binding.
 */
export function memoryKv(): { kv: KVNamespace; put(key: string): void; delete(key: string): void } {
  const entries = new Map<string, string>();
  let sorted: string[] | null = null;
  const keys = () => {
    sorted ??= [...entries.keys()].sort();
    return sorted;
  };
  const kv = {
    async get(key: string) {
      return entries.get(key) ?? null;
    },
    async put(key: string, value: string) {
      entries.set(key, value);
      sorted = null;
    },
    async delete(key: string) {
      entries.delete(key);
      sorted = null;
    },
    async list(options: { prefix?: string; limit?: number; cursor?: string } = {}) {
      const prefix = options.prefix ?? "";
      const limit = Math.min(options.limit ?? 1000, 1000);
      const all = keys();
      let index = options.cursor ? Number(options.cursor) : lowerBound(all, prefix);
      const page: { name: string }[] = [];
      while (index < all.length && page.length < limit && (all[index] as string).startsWith(prefix)) {
        page.push({ name: all[index] as string });
        index++;
      }
      const complete = index >= all.length || !(all[index] as string).startsWith(prefix);
      return complete
        ? { keys: page, list_complete: true, cacheStatus: null }
        : { keys: page, list_complete: false, cursor: String(index), cacheStatus: null };
    },
  };
  return {
    kv: kv as unknown as KVNamespace,
    put: (key) => {
      entries.set(key, key.slice(key.lastIndexOf(":") + 1));
      sorted = null;
    },
    delete: (key) => {
      entries.delete(key);
      sorted = null;
    },
  };
}

function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
