/**
 * The relay's notion of "now" in epoch milliseconds. Tests replace it to move time forward
 * (expired state, expired tokens) without sleeping; the worker and its Durable Objects share
 * one isolate under @cloudflare/vitest-plugin, so one override reaches both.
 */
let override: (() => number) | null = null;

/** Current time in epoch milliseconds (the test override when set). */
export function now(): number {
  return override ? override() : Date.now();
}

/** Replaces the clock (pass null to restore the real one). Tests only. */
export function setClockForTests(clock: (() => number) | null): void {
  override = clock;
}
