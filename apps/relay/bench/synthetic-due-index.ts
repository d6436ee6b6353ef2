import { refreshDueKey } from "../src/storage/kv-keys.ts";

const DAY_MS = 86_400_000;

/**
 * A KV-shaped `due:` index of N entries computed on demand, for the N = 10M sweep bench only (a
 * stored map of 10M keys does not fit the test isolate). Entry i is a pure function of i, in key
 * order: the first k are due (spread over the 3 days up to `cutoff`), the rest over the 53 days
 * after it. `list` pages exactly like the stored map (bench/memory-kv.ts), which the local-KV rows
 * check against the real binding; every call is counted.
 */
export function syntheticDueIndex(n: number, k: number, cutoff: string) {
  const cutoffMs = Date.parse(`${cutoff}T00:00:00Z`);
  const day = (offset: number) => new Date(cutoffMs + offset * DAY_MS).toISOString().slice(0, 10);
  const key = (i: number) =>
    i < k
      ? refreshDueKey(day(-2 + Math.floor((3 * i) / k)), `conn_${String(i).padStart(20, "0")}`)
      : refreshDueKey(day(1 + Math.floor((53 * (i - k)) / (n - k))), `conn_${String(i).padStart(20, "0")}`);
  const counts = { list: 0, keysRead: 0 };
  const kv = {
    async list(options: { prefix?: string; limit?: number; cursor?: string } = {}) {
      counts.list++;
      const limit = Math.min(options.limit ?? 1000, 1000);
      const from = options.cursor ? Number(options.cursor) : 0;
      const to = Math.min(n, from + limit);
      const keys = Array.from({ length: to - from }, (_, offset) => ({ name: key(from + offset) }));
      counts.keysRead += keys.length;
      return to >= n
        ? { keys, list_complete: true, cacheStatus: null }
        : { keys, list_complete: false, cursor: String(to), cacheStatus: null };
    },
  };
  return { kv: kv as unknown as KVNamespace, counts };
}
