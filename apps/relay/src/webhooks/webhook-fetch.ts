import type { FetchLike } from "../instagram/upstream-fetch.ts";

let override: FetchLike | null = null;

/**
 * How the outbox reaches the app's webhook URL. Tests hand in a local receiver with
 * `setWebhookFetchForTests` (the worker, its Durable Objects and the test share one isolate).
 */
export function webhookFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return override ? override(input, init) : globalThis.fetch(input, init);
}

/** Routes webhook deliveries to `fetch` (null restores `globalThis.fetch`). Tests only. */
export function setWebhookFetchForTests(fetch: FetchLike | null): void {
  override = fetch;
}
