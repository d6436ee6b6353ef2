import type { FakeEndpoint, FakeFault } from "./types.ts";

/** Pending faults, consumed in the order they were injected. */
export class FaultQueue {
  readonly #pending: { fault: FakeFault; remaining: number }[] = [];

  /** Makes the next `times` (default 1) calls to `endpoint` fail with `kind`. */
  inject(fault: FakeFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError("fault.times must be a positive integer");
    this.#pending.push({ fault: { ...fault }, remaining: times });
  }

  /** Drops every pending fault. */
  clear(): void {
    this.#pending.length = 0;
  }

  /** How many failures are still pending, over all faults. */
  get pending(): number {
    return this.#pending.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** Takes one use of the first fault matching `endpoint`, if any (`any` never matches the CDN). */
  take(endpoint: FakeEndpoint): FakeFault | undefined {
    const index = this.#pending.findIndex(
      (e) => (e.fault.endpoint === "any" && endpoint !== "cdn") || e.fault.endpoint === endpoint,
    );
    const entry = this.#pending[index];
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.#pending.splice(index, 1);
    return entry.fault;
  }
}

/** Resolves when `signal` aborts ("aborted") or after `delayMs` ("elapsed"); never without either. */
export function hang(signal: AbortSignal, delayMs: number | undefined): Promise<"aborted" | "elapsed"> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve("aborted");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve("aborted");
    };
    signal.addEventListener("abort", onAbort, { once: true });
    if (delayMs !== undefined) {
      timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve("elapsed");
      }, delayMs);
    }
  });
}
