import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, inject, it } from "vitest";
import { relayConfig } from "../src/config/relay-config.ts";
import { dueCutoffDay } from "../src/lifecycle/refresh-policy.ts";
import {
  handleRefreshBatch,
  type RefreshMessage,
  startRefreshWalk,
  walkDueStep,
} from "../src/lifecycle/refresh-queue.ts";
import { unwrap } from "../src/result.ts";
import { now } from "../src/runtime.ts";
import { KV_PREFIXES, refreshDueKey } from "../src/storage/kv-keys.ts";
import { countingKv, DAY_MS, envWith } from "../test/refresh/lifecycle-helpers.ts";
import { memoryKv } from "./memory-kv.ts";
import { syntheticDueIndex } from "./synthetic-due-index.ts";

/**
 * Refresh cron cost for N stored connections of which k are due: the cron's first walk step
 * (`startRefreshWalk`, what production runs) against a recording queue producer. Only the `due:`
 * index is written: the walk reads nothing else (each due connection's `refresh` message is a
 * hand-off; its coordinator then reads only its own record, a constant cost per due connection). Baseline, on the same data:
 * a scan of the whole index, what a sweep whose cost grew with N would pay. Runs against the
 * local KV binding up to `sweepRealKvMax` and against a KV-shaped map for every N. Prints one
 * `SWEEP_RESULT <json>` line for bench/parts/sweep.mjs.
 */
const SCENARIOS = [
  { n: 1_000, k: 100 },
  { n: 10_000, k: 100 },
  { n: 100_000, k: 100 },
  { n: 100_000, k: 4_000 },
];
const WRITE_BATCH = 500;

const cutoff = dueCutoffDay(now(), unwrap(relayConfig(env).lifecycle).refreshWindowMs);
const cutoffMs = Date.parse(`${cutoff}T00:00:00Z`);
const day = (offsetDays: number) => new Date(cutoffMs + offsetDays * DAY_MS).toISOString().slice(0, 10);
// Due entries sit on or before the cutoff; the rest spread over the following 53 days.
const dueKey = (i: number) => refreshDueKey(day(-(i % 3)), `conn_due${String(i).padStart(17, "0")}`);
const futureKey = (i: number) => refreshDueKey(day(1 + (i % 53)), `conn_fut${String(i).padStart(17, "0")}`);

interface Store {
  name: string;
  kv: KVNamespace;
  put(key: string): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

async function inBatches(from: number, to: number, write: (i: number) => Promise<void> | void) {
  for (let start = from; start < to; start += WRITE_BATCH) {
    const end = Math.min(to, start + WRITE_BATCH);
    await Promise.all(Array.from({ length: end - start }, (_, offset) => write(start + offset)));
  }
}

/** Lists the whole `due:` index, as a sweep that grew with N would. */
async function fullIndexScan(kv: KVNamespace): Promise<number> {
  let keys = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await kv.list({ prefix: KV_PREFIXES.refreshDue, ...(cursor ? { cursor } : {}) });
    keys += page.keys.length;
    if (page.list_complete) return keys;
    cursor = page.cursor;
  }
}

async function measure(store: Store, maxN: number) {
  const rows = [];
  let due = 0;
  let future = 0;
  for (const { n, k } of SCENARIOS.filter((s) => s.n <= maxN)) {
    // Grow the index to this scenario: more due entries replace future ones, N stays as given.
    await inBatches(due, k, (i) => store.put(dueKey(i)));
    const futureWanted = n - k;
    if (futureWanted > future) await inBatches(future, futureWanted, (i) => store.put(futureKey(i)));
    else await inBatches(futureWanted, future, (i) => store.delete(futureKey(i)));
    due = k;
    future = futureWanted;

    let handOffs = 0;
    const producer = {
      async send() {},
      async sendBatch(messages: { body: RefreshMessage }[]) {
        handOffs += messages.filter((message) => message.body.kind === "refresh").length;
      },
    };
    const counted = countingKv(store.kv);
    const sweepStart = performance.now();
    const report = await startRefreshWalk(envWith({ CONNECTIONS: counted.kv, REFRESH_QUEUE: producer }));
    const sweepMs = performance.now() - sweepStart;
    // One step (10 pages of 1000) covers every scenario here; the 10M case is measured below.
    expect(report.next).toBeNull();
    expect(report.enqueued).toBe(k);
    expect(handOffs).toBe(k);

    const scanned = countingKv(store.kv);
    const scanStart = performance.now();
    const keysRead = await fullIndexScan(scanned.kv);
    const scanMs = performance.now() - scanStart;
    expect(keysRead).toBe(n);

    rows.push({
      store: store.name,
      n,
      k,
      sweep: { kvOps: counted.counts, refreshHandOffs: handOffs, wallMs: sweepMs },
      fullScan: { kvOps: scanned.counts, keysRead, wallMs: scanMs },
    });
  }
  return rows;
}

it("measures the refresh sweep for N stored connections with k due", async () => {
  const local: Store = {
    name: "local KV",
    kv: env.CONNECTIONS,
    put: (key) => env.CONNECTIONS.put(key, key.slice(key.lastIndexOf(":") + 1)),
    delete: (key) => env.CONNECTIONS.delete(key),
  };
  const memory = memoryKv();
  const rows = [
    ...(await measure(local, inject("sweepRealKvMax"))),
    ...(await measure({ name: "KV-shaped map", ...memory }, Number.POSITIVE_INFINITY)),
  ];
  console.log(`SWEEP_RESULT ${JSON.stringify({ cutoff, rows })}`);
});

/**
 * The queued fan-out (src/lifecycle/refresh-queue.ts) at fleet scale, over a computed KV-shaped
 * index (bench/synthetic-due-index.ts). The cron's step and every `walk` message are run for real
 * against a recording producer; the `refresh` messages are then delivered to the real consumer in
 * batches of the configured max_batch_size with an injected coordinator (counted, not refreshed).
 * Reports the work of the largest single invocation: that, not N, is what must fit the limits.
 */
const QUEUED = [
  { n: 10_000_000, k: 47_500 },
  { n: 10_000_000, k: 190_000 },
];
const CONSUMER_BATCH = 50;

it("measures the queued refresh fan-out at N = 10M", async () => {
  const rows = [];
  for (const { n, k } of QUEUED) {
    const index = syntheticDueIndex(n, k, cutoff);
    const refreshMessages: RefreshMessage[] = [];
    const walks: RefreshMessage[] = [];
    let sendsThisInvocation = 0;
    const producer = {
      async send(body: RefreshMessage) {
        sendsThisInvocation++;
        (body.kind === "walk" ? walks : refreshMessages).push(body);
      },
      async sendBatch(messages: { body: RefreshMessage }[]) {
        sendsThisInvocation++;
        for (const m of messages) refreshMessages.push(m.body);
      },
    };
    const queueEnv = envWith({ CONNECTIONS: index.kv, REFRESH_QUEUE: producer });
    const started = performance.now();
    const invocations: { lists: number; sends: number }[] = [];
    let step = await startRefreshWalk(queueEnv);
    invocations.push({ lists: step.listCalls, sends: sendsThisInvocation });
    while (walks.length > 0) {
      const walk = walks.shift() as Extract<RefreshMessage, { kind: "walk" }>;
      sendsThisInvocation = 0;
      const listsBefore = index.counts.list;
      step = await walkDueStep(queueEnv, walk);
      invocations.push({ lists: index.counts.list - listsBefore, sends: sendsThisInvocation });
    }
    const walkMs = performance.now() - started;
    expect(refreshMessages).toHaveLength(k);

    // Consumer side: every message delivered in batches, each batch one invocation.
    let coordinatorCalls = 0;
    let consumerInvocations = 0;
    let maxCallsPerInvocation = 0;
    for (let i = 0; i < refreshMessages.length; i += CONSUMER_BATCH) {
      const slice = refreshMessages.slice(i, i + CONSUMER_BATCH);
      let calls = 0;
      const batch = createMessageBatch<RefreshMessage>(
        "instagram-connect-refresh",
        slice.map((body, j) => ({ id: `m${i + j}`, timestamp: 0, attempts: 1, body })),
      );
      await handleRefreshBatch(batch, queueEnv, {
        refresh: async () => {
          calls++;
          return { status: "refreshed", tokenExpiresAt: "" };
        },
      });
      coordinatorCalls += calls;
      consumerInvocations++;
      maxCallsPerInvocation = Math.max(maxCallsPerInvocation, calls);
    }
    expect(coordinatorCalls).toBe(k);
    rows.push({
      n,
      k,
      walkInvocations: invocations.length,
      listCalls: index.counts.list,
      keysRead: index.counts.keysRead,
      maxListsPerInvocation: Math.max(...invocations.map((s) => s.lists)),
      maxSendsPerInvocation: Math.max(...invocations.map((s) => s.sends)),
      consumerInvocations,
      maxCoordinatorCallsPerInvocation: maxCallsPerInvocation,
      fullScanLists: Math.ceil(n / 1000),
      walkMs,
    });
  }
  console.log(`SWEEP_QUEUED_RESULT ${JSON.stringify({ cutoff, batch: CONSUMER_BATCH, rows })}`);
});
