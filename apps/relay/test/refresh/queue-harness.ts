import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import {
  handleRefreshBatch,
  type RefreshMessage,
  type RefreshQueueOptions,
} from "../../src/lifecycle/refresh-queue.ts";
import { bindings, now } from "../../src/runtime.ts";
import { envWith } from "./lifecycle-helpers.ts";

/** The refresh queue's name and its dead-letter queue's (wrangler.jsonc). */
export const REFRESH_QUEUE = "instagram-connect-refresh";
export const REFRESH_DLQ = "instagram-connect-refresh-dlq";
/** wrangler.jsonc `max_retries` of the refresh queue. */
const MAX_RETRIES = 5;

/** A message waiting in the recorded queue: its body, delivery time (relay clock) and attempts. */
export interface Pending {
  body: RefreshMessage;
  at: number;
  attempts: number;
}

/**
 * A recording stand-in for the REFRESH_QUEUE producer plus a driver that delivers what is due to
 * the real consumer (`handleRefreshBatch`, through `bindings()` so test/support/faults.ts applies),
 * with the queue's semantics from `getQueueResult`: ack, retry with delay, dead letter after
 * max_retries. Deterministic, unlike the simulated queue's wall-clock delivery; the end-to-end
 * case with the real binding is in refresh-queue.test.ts.
 */
export function recordedQueue(options: RefreshQueueOptions = {}) {
  const pending: Pending[] = [];
  const deadLetters: Pending[] = [];
  let sequence = 0;
  const producer = {
    async send(body: RefreshMessage, opts?: { delaySeconds?: number }) {
      pending.push({ body, at: now() + (opts?.delaySeconds ?? 0) * 1000, attempts: 0 });
    },
    async sendBatch(messages: { body: RefreshMessage; delaySeconds?: number }[]) {
      for (const m of messages)
        pending.push({ body: m.body, at: now() + (m.delaySeconds ?? 0) * 1000, attempts: 0 });
    },
  };
  const raw = envWith({ REFRESH_QUEUE: producer });

  /** Delivers every message due by now in batches of `batchSize`; returns how many were delivered. */
  async function deliverDue(batchSize = 50): Promise<number> {
    const due = pending.filter((m) => m.at <= now()).slice(0, batchSize);
    if (due.length === 0) return 0;
    for (const m of due) pending.splice(pending.indexOf(m), 1);
    const ids = due.map(() => `msg-${++sequence}`);
    const batch = createMessageBatch<RefreshMessage>(
      REFRESH_QUEUE,
      due.map((m, i) => ({ id: ids[i] as string, timestamp: now(), attempts: m.attempts + 1, body: m.body })),
    );
    const ctx = createExecutionContext();
    await handleRefreshBatch(batch, bindings(raw), options);
    const result = await getQueueResult(batch, ctx);
    for (const retry of result.retryMessages) {
      const m = due[ids.indexOf(retry.msgId)] as Pending;
      const next = { body: m.body, at: now() + (retry.delaySeconds ?? 0) * 1000, attempts: m.attempts + 1 };
      (next.attempts > MAX_RETRIES ? deadLetters : pending).push(next);
    }
    return due.length;
  }

  /** Delivers until nothing is due now (retries with a delay wait for the clock). */
  async function drainNow(): Promise<void> {
    while ((await deliverDue()) > 0) {}
  }

  return {
    /** The test env with this producer as REFRESH_QUEUE, through `bindings()` (faults apply). */
    get env() {
      return bindings(raw);
    },
    pending,
    deadLetters,
    deliverDue,
    drainNow,
  };
}
