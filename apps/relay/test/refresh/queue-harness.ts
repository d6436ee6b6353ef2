import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import type { RefreshOutcome } from "../../src/lifecycle/refresh-connection.ts";
import {
  handleRefreshBatch,
  type RefreshMessage,
  type RefreshQueueOptions,
  startRefreshWalk,
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
export function recordedQueue(
  options: RefreshQueueOptions = {},
  overrides: Partial<Record<keyof Env, unknown>> = {},
) {
  const pending: Pending[] = [];
  const deadLetters: Pending[] = [];
  /** Messages sent so far, and deliveries whose handling threw (retried by the queue). */
  const stats = { sent: [] as RefreshMessage[], retried: 0 };
  let sequence = 0;
  const producer = {
    async send(body: RefreshMessage, opts?: { delaySeconds?: number }) {
      stats.sent.push(body);
      pending.push({ body, at: now() + (opts?.delaySeconds ?? 0) * 1000, attempts: 0 });
    },
    async sendBatch(messages: { body: RefreshMessage; delaySeconds?: number }[]) {
      for (const m of messages) {
        stats.sent.push(m.body);
        pending.push({ body: m.body, at: now() + (m.delaySeconds ?? 0) * 1000, attempts: 0 });
      }
    },
  };
  const raw = envWith({ ...overrides, REFRESH_QUEUE: producer });

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
    // getQueueResult reports which messages were retried, not their delay: record it here.
    const delays = new Map<string, number>();
    for (const message of batch.messages) {
      const retry = message.retry.bind(message);
      Object.assign(message, {
        retry: (retryOptions?: QueueRetryOptions) => {
          delays.set(message.id, retryOptions?.delaySeconds ?? 0);
          retry(retryOptions);
        },
      });
    }
    const ctx = createExecutionContext();
    await handleRefreshBatch(batch, bindings(raw), options);
    const result = await getQueueResult(batch, ctx);
    stats.retried += result.retryMessages.length;
    for (const retry of result.retryMessages) {
      const m = due[ids.indexOf(retry.msgId)] as Pending;
      const next = {
        body: m.body,
        at: now() + (retry.delaySeconds ?? delays.get(retry.msgId) ?? 0) * 1000,
        attempts: m.attempts + 1,
      };
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
    stats,
    deliverDue,
    drainNow,
  };
}

/** What one cron run did, end to end through the queue. */
export interface CronRunReport {
  /** `refresh` messages the walk enqueued: the connections it found due. */
  due: number;
  /** Coordinator outcomes of every refresh delivered in this run (a due carried retry included). */
  outcomes: Partial<Record<RefreshOutcome["status"], number>>;
  /** Deliveries whose handling threw (KV, Durable Object): retried by the queue. */
  errors: number;
}

/**
 * The refresh path production runs, deterministically: each `run()` is one 6-hourly cron (the walk,
 * `startRefreshWalk`, onto a recorded queue), then every message due by now delivered to the real
 * consumer. One per test: a retry the coordinator scheduled for later stays queued and is
 * delivered by the first run whose clock has reached it, as the queue would.
 */
export function cronRefresh(
  options: RefreshQueueOptions = {},
  overrides: Partial<Record<keyof Env, unknown>> = {},
) {
  let outcomes: CronRunReport["outcomes"] = {};
  const queue = recordedQueue(
    {
      ...options,
      refresh: async (connectionId) => {
        const outcome = await (
          options.refresh ?? ((id: string) => coordinatorFor(queue.env, id).refresh(id))
        )(connectionId);
        outcomes[outcome.status] = (outcomes[outcome.status] ?? 0) + 1;
        return outcome;
      },
    },
    overrides,
  );
  return {
    queue,
    async run(): Promise<CronRunReport> {
      outcomes = {};
      const sentBefore = queue.stats.sent.length;
      const retriedBefore = queue.stats.retried;
      await startRefreshWalk(queue.env, options);
      await queue.drainNow();
      const sent = queue.stats.sent.slice(sentBefore);
      return {
        due: sent.filter((body) => body.kind === "refresh" && body.retryAt === undefined).length,
        outcomes,
        errors: queue.stats.retried - retriedBefore,
      };
    },
  };
}
