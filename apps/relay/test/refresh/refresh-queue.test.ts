import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index.ts";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import {
  handleRefreshBatch,
  MAX_DELAY_SECONDS,
  type RefreshMessage,
  startRefreshWalk,
} from "../../src/lifecycle/refresh-queue.ts";
import { now } from "../../src/runtime.ts";
import { refreshDueKey } from "../../src/storage/kv-keys.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import {
  auditNames,
  connectThreeUsers,
  connectUser,
  DAY_MS,
  storedRecord,
  T0,
  useEmptyKv,
} from "./lifecycle-helpers.ts";
import { REFRESH_DLQ, recordedQueue } from "./queue-harness.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();
const faults = useFaults();

const advanceTo = (ms: number) => ctx.fake.clock.advance(Math.max(0, ms - ctx.fake.clock.now()));
const refreshedSince = async (connectionId: string, sinceMs: number) =>
  Date.parse((await storedRecord(connectionId)).tokenIssuedAt) >= sinceMs;

describe("refresh fan-out through the queue", () => {
  it("the cron enqueues due connections and the queue consumer refreshes them (simulated queue binding)", async () => {
    const { fake } = ctx;
    const handles = await connectThreeUsers(fake);
    fake.clock.advance(54 * DAY_MS);
    const execution = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "17 */6 * * *" }), env, execution);
    await waitOnExecutionContext(execution);
    // Delivered by the simulated queue (max_batch_timeout 1 s): wait for the consumer, not a time.
    await vi.waitFor(() => expect(callCount(fake, "refresh")).toBe(3), { timeout: 20_000, interval: 100 });
    for (const handle of handles) {
      await vi.waitFor(
        async () => expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed"]),
        {
          timeout: 10_000,
          interval: 100,
        },
      );
    }
  });

  it("walks a long due index in bounded steps, handing the KV cursor on, and enqueues one message per due entry", async () => {
    const { fake } = ctx;
    const day = (offset: number) => new Date(fake.clock.now() + offset * DAY_MS).toISOString().slice(0, 10);
    const due = Array.from({ length: 23 }, (_, i) => `conn_walk${String(i).padStart(3, "0")}`);
    await Promise.all([
      ...due.map((id, i) => env.CONNECTIONS.put(refreshDueKey(day(-(i % 3)), id), id)),
      // A stale second entry for one connection (an older due date) and entries not yet due.
      env.CONNECTIONS.put(refreshDueKey(day(-5), due[4] as string), "x"),
      ...[1, 2, 30].map((d) => env.CONNECTIONS.put(refreshDueKey(day(d), `conn_future${d}`), "x")),
    ]);
    const refreshed: string[] = [];
    const options = {
      pageSize: 3,
      pagesPerStep: 2,
      refresh: async (id: string) => {
        refreshed.push(id);
        return { status: "not_due", readiness: "not_due" } as const;
      },
    };
    const queue = recordedQueue(options);
    const first = await startRefreshWalk(queue.env, options);
    expect(first).toMatchObject({ listCalls: 2, enqueued: 6 });
    expect(first.next).not.toBeNull();
    let walkMessages = 0;
    for (;;) {
      walkMessages += queue.pending.filter((m) => m.body.kind === "walk").length;
      if ((await queue.deliverDue()) === 0) break;
    }
    // 24 due entries at 3 per page, 2 pages per step: 4 full steps (the cron's and 3 walk messages),
    // then a 4th walk message whose first page meets the first entry not yet due.
    expect(walkMessages).toBe(4);
    // Every due connection; the stale second entry of one costs one harmless extra message (S25).
    expect([...new Set(refreshed)].sort()).toEqual(due);
    expect(refreshed).toHaveLength(24);
    expect(refreshed).not.toContain("conn_future1");
  });

  it("a failing refresh retries with delay, does not block the others, and never piles up on one connection", async () => {
    const { fake } = ctx;
    const handles = await connectThreeUsers(fake);
    fake.clock.advance(54 * DAY_MS);
    const since = fake.clock.now();
    fake.faults.inject({ endpoint: "refresh", kind: "http_5xx" });
    const queue = recordedQueue();
    await startRefreshWalk(queue.env);
    await queue.drainNow();

    const states = await Promise.all(handles.map((h) => coordinatorFor(env, h.connectionId).retryState()));
    const failedIndex = states.findIndex((state) => state !== undefined);
    const failed = handles[failedIndex]?.connectionId as string;
    const retry = states[failedIndex];
    expect(states.filter((state) => state !== undefined)).toHaveLength(1);
    for (const handle of handles) {
      if (handle.connectionId === failed) continue;
      const record = await storedRecord(handle.connectionId);
      expect([record.tokenIssuedAt, Date.parse(record.tokenIssuedAt) >= since]).toEqual([
        record.tokenIssuedAt,
        true,
      ]);
    }
    // One delayed message, for the coordinator's retry time.
    expect(queue.pending).toHaveLength(1);
    expect(queue.pending[0]?.body).toEqual({
      kind: "refresh",
      connectionId: failed,
      retryAt: retry?.nextAttemptAt,
    });
    expect(queue.pending[0]?.at).toBeGreaterThan(now());

    // More crons within the backoff: the copies they enqueue are dropped, Instagram is not called.
    const calls = callCount(fake, "refresh");
    for (let i = 0; i < 3; i++) {
      await startRefreshWalk(queue.env);
      await queue.drainNow();
    }
    expect(callCount(fake, "refresh")).toBe(calls);
    expect(queue.pending).toHaveLength(1);

    const delayed = queue.pending[0]?.at ?? 0;
    expect(delayed).toBeGreaterThanOrEqual(retry?.nextAttemptAt ?? Number.POSITIVE_INFINITY);
    advanceTo(delayed);
    await queue.drainNow();
    expect(await refreshedSince(failed, since)).toBe(true);
    expect(queue.pending).toHaveLength(0);
    expect(await auditNames(failed)).toEqual(["connected", "refresh_failed", "refreshed"]);
  });

  it("only the message carrying the coordinator's retry waits for it; a retry beyond 12 h is carried forward", async () => {
    const later = now() + 20 * 3_600_000;
    const queue = recordedQueue({
      refresh: async () => ({ status: "backoff", nextAttemptAt: new Date(later).toISOString() }),
    });
    await queue.env.REFRESH_QUEUE.send({ kind: "refresh", connectionId: "conn_a", retryAt: later });
    await queue.env.REFRESH_QUEUE.send({ kind: "refresh", connectionId: "conn_b" });
    await queue.drainNow();
    // The carrier goes back on the queue for the longest delay the queue allows; the copy is dropped.
    expect(queue.pending.map((m) => [m.body, m.at])).toEqual([
      [{ kind: "refresh", connectionId: "conn_a", retryAt: later }, now() + MAX_DELAY_SECONDS * 1000],
    ]);
  });

  it("nothing is lost under injected KV and Durable Object failures: every due connection is refreshed", async () => {
    const { fake } = ctx;
    const handles = await connectThreeUsers(fake);
    fake.clock.advance(54 * DAY_MS);
    const since = fake.clock.now();
    // The cron's own list fails (the walk is queued instead), a walk step's list fails once more,
    // one record write fails (kept in the coordinator's write-ahead copy, retried), and one
    // coordinator call throws (the message is retried by the queue with backoff).
    faults.kv({ method: "list", prefix: "due:", times: 2, effect: "fail" });
    faults.kv({ method: "put", prefix: "conn:", effect: "fail" });
    faults.durableObject({ binding: "CONNECTION_COORDINATOR", method: "refresh", effect: "fail" });
    const queue = recordedQueue();
    const first = await startRefreshWalk(queue.env);
    expect(first.deferred).toBe(true);
    for (let round = 0; round < 20 && queue.pending.length > 0; round++) {
      await queue.drainNow();
      const next = Math.min(...queue.pending.map((m) => m.at));
      if (Number.isFinite(next)) advanceTo(next);
    }
    expect(faults.injected).toBe(4);
    expect(queue.pending).toHaveLength(0);
    expect(queue.deadLetters).toHaveLength(0);
    for (const handle of handles) expect(await refreshedSince(handle.connectionId, since)).toBe(true);
  });

  it("a message the consumer cannot read is logged and acked, never retried into the dead-letter queue", async () => {
    const bodies = [{ kind: "refresh", connectionId: "../x" }, { kind: "walk" }, "garbage", null];
    const batch = createMessageBatch<unknown>(
      "instagram-connect-refresh",
      bodies.map((body, i) => ({ id: `bad-${i}`, timestamp: now(), attempts: 1, body })),
    );
    const execution = createExecutionContext();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const refreshed: string[] = [];
    await handleRefreshBatch(batch as MessageBatch<RefreshMessage>, env, {
      refresh: async (id) => {
        refreshed.push(id);
        return { status: "not_due", readiness: "not_due" };
      },
    });
    const result = await getQueueResult(batch, execution);
    errors.mockRestore();
    expect(result.explicitAcks.sort()).toEqual(["bad-0", "bad-1", "bad-2", "bad-3"]);
    expect(result.retryMessages).toEqual([]);
    expect(refreshed).toEqual([]);
  });

  it("a dead letter is logged and acked; its due entry stays, so the next cron enqueues it again", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    const body: RefreshMessage = { kind: "refresh", connectionId: handle.connectionId };
    const batch = createMessageBatch<RefreshMessage>(REFRESH_DLQ, [
      { id: "dead-1", timestamp: now(), attempts: 6, body },
    ]);
    const execution = createExecutionContext();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await handleRefreshBatch(batch, env);
    const result = await getQueueResult(batch, execution);
    expect(result.explicitAcks).toEqual(["dead-1"]);
    expect(errors.mock.calls.some(([line]) => String(line).includes("refresh_dead_letter"))).toBe(true);
    errors.mockRestore();
    expect(callCount(fake, "refresh")).toBe(0);

    const queue = recordedQueue();
    await startRefreshWalk(queue.env);
    expect(queue.pending.map((m) => m.body)).toEqual([body]);
    await queue.drainNow();
    expect(callCount(fake, "refresh")).toBe(1);
  });
});
