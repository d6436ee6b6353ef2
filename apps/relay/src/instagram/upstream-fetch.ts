/** A fetch-compatible function. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

let override: FetchLike | null = null;

/**
 * The only way the relay reaches Instagram. Tests hand in the fake Instagram's fetch with
 * `setUpstreamFetchForTests`; the test, the worker and its Durable Objects share one isolate
 * under @cloudflare/vitest-plugin, so the override reaches all of them.
 */
export function upstreamFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return override ? override(input, init) : globalThis.fetch(input, init);
}

/** Routes upstream calls to `fetch` (pass null to restore `globalThis.fetch`). Tests only. */
export function setUpstreamFetchForTests(fetch: FetchLike | null): void {
  override = fetch;
}
