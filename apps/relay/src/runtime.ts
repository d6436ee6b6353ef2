/**
 * What the relay takes from its runtime, in one place so tests have one seam: the clock, the way
 * out to Instagram and the way out to the app's webhook receiver. Under
 * @cloudflare/vitest-plugin the test, the worker and its Durable Objects share one isolate, so one
 * override here reaches all of them. Production never calls a `...ForTests` function.
 */

/** A fetch-compatible function. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

let clockOverride: (() => number) | null = null;
let upstreamOverride: FetchLike | null = null;
let webhookOverride: FetchLike | null = null;
/** Who asks for bindings: the worker (requests, cron) or a Durable Object class. */
export type BindingScope = "worker" | "ConnectionCoordinator" | "WebhookOutbox" | "UsageCounter";
type BindingsWrapper = <E extends object>(env: E, scope: BindingScope) => E;
let bindingsOverride: BindingsWrapper | null = null;

/** Current time in epoch milliseconds (the test override when set). */
export function now(): number {
  return clockOverride ? clockOverride() : Date.now();
}

/** The only way the relay reaches Instagram. */
export function upstreamFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return upstreamOverride ? upstreamOverride(input, init) : globalThis.fetch(input, init);
}

/** How the webhook outbox reaches the app's webhook URL. */
export function webhookFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return webhookOverride ? webhookOverride(input, init) : globalThis.fetch(input, init);
}

/** Replaces the clock to move time without sleeping (null restores the real one). Tests only. */
export function setClockForTests(clock: (() => number) | null): void {
  clockOverride = clock;
}

/** Routes upstream calls to `fetch`, e.g. the fake Instagram (null restores `globalThis.fetch`). Tests only. */
export function setUpstreamFetchForTests(fetch: FetchLike | null): void {
  upstreamOverride = fetch;
}

/** Routes webhook deliveries to `fetch`, e.g. a local receiver (null restores `globalThis.fetch`). Tests only. */
export function setWebhookFetchForTests(fetch: FetchLike | null): void {
  webhookOverride = fetch;
}

/**
 * The bindings the relay works with: `env` itself in production. The worker's entry points and
 * the Durable Objects pass their `env` through here, so a test can hand every one of them the
 * same wrapped bindings (fault injection, test/support/faults.ts).
 */
export function bindings<E extends object>(env: E, scope: BindingScope = "worker"): E {
  return bindingsOverride ? bindingsOverride(env, scope) : env;
}

/** Wraps the bindings every entry point and Durable Object uses (null restores them). Tests only. */
export function setBindingsForTests(wrap: BindingsWrapper | null): void {
  bindingsOverride = wrap;
}
