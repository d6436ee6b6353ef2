import { relayConfig } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";
import { coordinatorFor } from "./connection-coordinator.ts";
import type { RefreshOutcome } from "./refresh-connection.ts";
import { dueCutoffDay, dueOnPage } from "./refresh-policy.ts";

/**
 * A message on the refresh queue (wrangler.jsonc `queues`). `walk` continues the cron's walk of
 * the `due:` index from a KV cursor; `refresh` asks one connection's coordinator to refresh.
 * `retryAt` marks the one message carrying a retry the coordinator scheduled for that time.
 */
export type RefreshMessage =
  | { kind: "walk"; cutoff: string; cursor?: string }
  | { kind: "refresh"; connectionId: string; retryAt?: number };

/** Index pages (of up to 1000 keys) one walk step reads: at most 10 lists + 100 sends per invocation. */
export const WALK_PAGES_PER_STEP = 10;
/** Queues' `sendBatch` limit (messages per call). */
const SEND_BATCH = 100;
/** Queues' longest delivery delay (12 h); a later retry is carried forward in steps. */
export const MAX_DELAY_SECONDS = 43_200;
/** Refreshes started at once inside one consumer invocation (the batch itself is <= 50). */
const CONSUMER_CONCURRENCY = 10;

/** Knobs for tests and the bench (production uses the defaults). */
export interface RefreshQueueOptions {
  pageSize?: number;
  pagesPerStep?: number;
  refresh?: (connectionId: string) => Promise<RefreshOutcome>;
}

/** What one walk step did. */
export interface WalkStepReport {
  listCalls: number;
  sendCalls: number;
  enqueued: number;
  /** The KV cursor handed on in a `walk` message, or null when the walk reached the cutoff. */
  next: string | null;
  /** The cron's step failed and the whole walk was queued instead. */
  deferred?: boolean;
}

const queueOf = (env: Env) => env.REFRESH_QUEUE as Queue<RefreshMessage>;

/**
 * One bounded step of the walk over the `due:` index (date order, stops at the first entry after
 * `cutoff`): enqueues a `refresh` message per due connection, then hands the rest of the walk on
 * as a `walk` message with the KV cursor. Work per invocation is bounded whatever N is. A step that
 * dies half way is redone by its message's retry; duplicates are harmless (the coordinator
 * re-reads the record and skips a fresh one, S25).
 */
export async function walkDueStep(
  env: Env,
  step: { cutoff: string; cursor?: string },
  options: RefreshQueueOptions = {},
): Promise<WalkStepReport> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  const report: WalkStepReport = { listCalls: 0, sendCalls: 0, enqueued: 0, next: null };
  const seen = new Set<string>();
  let cursor = step.cursor;
  for (let page = 0; page < (options.pagesPerStep ?? WALK_PAGES_PER_STEP); page++) {
    const listed = await env.CONNECTIONS.list({
      prefix: KV_PREFIXES.refreshDue,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    report.listCalls++;
    const { due, reachedFuture } = dueOnPage(listed.keys, step.cutoff, seen);
    for (let i = 0; i < due.length; i += SEND_BATCH) {
      const chunk = due.slice(i, i + SEND_BATCH);
      await queueOf(env).sendBatch(
        chunk.map((connectionId) => ({ body: { kind: "refresh", connectionId } })),
      );
      report.sendCalls++;
      report.enqueued += chunk.length;
    }
    if (reachedFuture || listed.list_complete) return report;
    cursor = listed.cursor;
  }
  if (cursor) {
    await queueOf(env).send({ kind: "walk", cutoff: step.cutoff, cursor });
    report.sendCalls++;
    report.next = cursor;
  }
  return report;
}

/**
 * The 6-hourly cron: the first walk step, with today's cutoff (plus the refresh window). When it
 * fails (KV or the queue), the walk is queued from the start instead, so the queue's retries,
 * not the next cron 6 h later, redo it.
 */
export async function startRefreshWalk(env: Env, options: RefreshQueueOptions = {}): Promise<WalkStepReport> {
  const cutoff = dueCutoffDay(now(), unwrap(relayConfig(env).lifecycle).refreshWindowMs);
  try {
    return await walkDueStep(env, { cutoff }, options);
  } catch (error) {
    logEvent("warn", "refresh_walk_deferred", { cutoff, name: errorName(error) });
    await queueOf(env).send({ kind: "walk", cutoff });
    return { listCalls: 0, sendCalls: 1, enqueued: 0, next: null, deferred: true };
  }
}

/**
 * The queue consumer. Refresh queue: each message is acked once handled; a coordinator-scheduled
 * retry (transient Instagram failure) becomes one delayed message for that time; a thrown error
 * (KV, Durable Object) is retried by the queue with exponential backoff and, after max_retries,
 * dead-lettered. Dead-letter queue: logged and acked; the `due:` entry is still there, so the next
 * cron enqueues the connection again (nothing is lost).
 */
export async function handleRefreshBatch(
  batch: MessageBatch<RefreshMessage>,
  env: Env,
  options: RefreshQueueOptions = {},
): Promise<void> {
  // wrangler.jsonc names the dead-letter queue `<refresh queue>-dlq`.
  if (batch.queue.endsWith("-dlq")) {
    for (const message of batch.messages) {
      const body = message.body;
      logEvent("error", "refresh_dead_letter", {
        kind: body.kind,
        connectionId: body.kind === "refresh" ? body.connectionId : "",
        attempts: message.attempts,
      });
      message.ack();
    }
    return;
  }
  const refresh = options.refresh ?? ((id: string) => coordinatorFor(env, id).refresh(id));
  // Two messages for one connection in a batch share one coordinator call.
  const inFlight = new Map<string, Promise<RefreshOutcome>>();
  await inParallel(batch.messages, CONSUMER_CONCURRENCY, async (message) => {
    const body = message.body;
    // Only this worker produces here, but a message it cannot read is dropped (logged), never
    // retried into the dead-letter queue: retrying cannot make it readable.
    if (!isRefreshMessage(body)) {
      logEvent("error", "refresh_message_invalid", { attempts: message.attempts });
      message.ack();
      return;
    }
    try {
      if (body.kind === "walk") {
        await walkDueStep(env, body, options);
      } else {
        let outcome = inFlight.get(body.connectionId);
        if (!outcome) {
          outcome = refresh(body.connectionId);
          inFlight.set(body.connectionId, outcome);
        }
        await followUp(env, body, await outcome);
      }
      message.ack();
    } catch (error) {
      logEvent("warn", "refresh_message_retry", {
        kind: body.kind,
        attempts: message.attempts,
        name: errorName(error),
      });
      message.retry({ delaySeconds: failureDelaySeconds(message.attempts) });
    }
  });
}

/**
 * What a refresh outcome asks of the queue. Per connection at most one delayed message exists:
 * the one created for the coordinator's `nextAttemptAt`; any other message that meets the
 * backoff is dropped (the cron re-enqueues what is still due anyway).
 */
async function followUp(
  env: Env,
  body: Extract<RefreshMessage, { kind: "refresh" }>,
  outcome: RefreshOutcome,
): Promise<void> {
  let retryAt: number | null = null;
  if (outcome.status === "retry_scheduled") retryAt = Date.parse(outcome.nextAttemptAt);
  // The carrier of a retry scheduled for later than one queue delay allows: carried forward.
  if (outcome.status === "backoff" && body.retryAt === Date.parse(outcome.nextAttemptAt))
    retryAt = body.retryAt;
  if (retryAt === null) return;
  const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((retryAt - now()) / 1000)));
  await queueOf(env).send({ kind: "refresh", connectionId: body.connectionId, retryAt }, { delaySeconds });
}

/** A connection id as the index holds it (the walk only enqueues ids it parsed from `due:` keys). */
const CONNECTION_ID = /^conn_[A-Za-z0-9_-]{1,64}$/;

function isRefreshMessage(body: unknown): body is RefreshMessage {
  if (typeof body !== "object" || body === null) return false;
  const message = body as Record<string, unknown>;
  if (message.kind === "walk") {
    return (
      typeof message.cutoff === "string" &&
      /^\d{4}-\d{2}-\d{2}$/.test(message.cutoff) &&
      (message.cursor === undefined || typeof message.cursor === "string")
    );
  }
  return (
    message.kind === "refresh" &&
    typeof message.connectionId === "string" &&
    CONNECTION_ID.test(message.connectionId) &&
    (message.retryAt === undefined || Number.isFinite(message.retryAt))
  );
}

/** Backoff for a message whose handling threw: 30 s doubling per attempt, at most 1 h, jittered. */
export function failureDelaySeconds(attempts: number): number {
  const ceiling = Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
  const jitter = (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) / 2 ** 32;
  return Math.round(ceiling / 2 + (ceiling / 2) * jitter);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown";
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
