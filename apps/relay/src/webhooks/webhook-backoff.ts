/** Deliveries per event before it moves to the dead-letter store (with an error log line). */
export const WEBHOOK_MAX_ATTEMPTS = 7;

const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 12 * 60 * 60 * 1000;

/**
 * Wait before retry number `failures` (1 after the first failure): 1 min, 4 min, 16 min,
 * ~1 h, ~4 h, 12 h (capped), each minus up to 10% jitter so retries of many events spread out.
 * Seven attempts span about 18 hours.
 */
export function webhookRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const delay = Math.min(BASE_DELAY_MS * 4 ** Math.max(0, failures - 1), MAX_DELAY_MS);
  return Math.round(delay * (1 - 0.1 * random()));
}
