import type { UsageSource } from "@instagram-connect/types";
import type { Context, Env as HonoEnv, MiddlewareHandler } from "hono";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import { countryCode, hourOf } from "./anomaly.ts";
import { type UsageEntry, type UsageSubject, usageCounterName } from "./usage-counter.ts";

/**
 * How long an isolate gathers counts before writing them to the subjects' counter objects. One
 * write per subject and isolate per second at most, whatever the request rate (no KV write and
 * no Durable Object round trip per request). Counts still waiting when an isolate is evicted are
 * lost: counters are a lower bound (documented in API.md and STORAGE.md).
 */
export const USAGE_FLUSH_DELAY_MS = 1000;
/** Subjects one isolate batches before it writes early (bounds the isolate's memory). */
const MAX_PENDING_SUBJECTS = 512;

/** One counted request. */
export interface UsageHit {
  subject: UsageSubject;
  source: UsageSource;
  status: number;
  /** `request.cf.country` as sent (validated here). */
  country: unknown;
}

type CounterEnv = Pick<Env, "USAGE_COUNTERS">;

interface PendingSubject {
  env: CounterEnv;
  subject: UsageSubject;
  entries: Map<string, UsageEntry>;
}

let pending = new Map<string, PendingSubject>();
/** Real-clock time of the last write (timers run on the real clock, not the relay's). */
let lastWriteAt = 0;
const inFlight = new Set<Promise<void>>();

/**
 * Counts one request in this isolate's batch; never throws and never waits: the write happens
 * later, handed to `defer` (the request's `waitUntil`), so the response is not held up.
 * @example
 * countRequest(c.env, (work) => c.executionCtx.waitUntil(work), { subject, source: "api", status: 200, country });
 */
export function countRequest(env: CounterEnv, defer: (work: Promise<unknown>) => void, hit: UsageHit): void {
  try {
    const name = usageCounterName(hit.subject);
    const batch = pending.get(name) ?? { env, subject: hit.subject, entries: new Map() };
    pending.set(name, batch);
    const hour = hourOf(now());
    const key = `${hour}:${hit.source}`;
    const entry = batch.entries.get(key) ?? {
      hour,
      source: hit.source,
      requests: 0,
      errors: 0,
      countries: [],
    };
    entry.requests += 1;
    if (hit.status >= 400) entry.errors += 1;
    const country = countryCode(hit.country);
    if (country && !entry.countries.includes(country)) entry.countries.push(country);
    batch.entries.set(key, entry);
    // Each request keeps its own timer in its own waitUntil: no promise is shared between
    // requests (workerd cancels continuations resolved from another request's context).
    defer(pending.size >= MAX_PENDING_SUBJECTS ? writePending() : writeSoon());
  } catch (error) {
    logEvent("warn", "usage.count_failed", { error: error instanceof Error ? error.name : typeof error });
  }
}

/**
 * Waits `USAGE_FLUSH_DELAY_MS`, then writes what is batched unless another request's timer wrote
 * less than that long ago (then waits for its turn once more; if that write took everything,
 * there is nothing left to do). So an isolate writes about once per second however busy it is,
 * and the last request of a burst still gets its counts written.
 */
async function writeSoon(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    const wait = Math.max(
      USAGE_FLUSH_DELAY_MS * (round === 0 ? 1 : 0),
      lastWriteAt + USAGE_FLUSH_DELAY_MS - Date.now(),
    );
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (pending.size === 0) return;
    if (Date.now() - lastWriteAt >= USAGE_FLUSH_DELAY_MS) return writePending();
  }
}

/**
 * Writes every batched count now and waits for all writes in flight: tests call it to read
 * counters deterministically (production writes through each request's own timer).
 */
export async function flushUsage(): Promise<void> {
  await writePending();
  await Promise.all([...inFlight]);
}

/**
 * Writes every batched count now and waits for these writes only. A failing counter object loses
 * that batch and logs it: monitoring never fails or slows the request it counts.
 */
async function writePending(): Promise<void> {
  lastWriteAt = Date.now();
  const batches = [...pending.values()];
  pending = new Map();
  const writes: Promise<void>[] = [];
  for (const batch of batches) {
    const entries = [...batch.entries.values()];
    const write = Promise.resolve()
      .then(() =>
        batch.env.USAGE_COUNTERS.getByName(usageCounterName(batch.subject)).record(batch.subject, entries),
      )
      .catch((error: unknown) => {
        logEvent("warn", "usage.flush_failed", {
          subjectType: batch.subject.type,
          subjectId: batch.subject.id,
          requests: entries.reduce((sum, entry) => sum + entry.requests, 0),
          error: error instanceof Error ? error.name : typeof error,
        });
      })
      .finally(() => inFlight.delete(write));
    inFlight.add(write);
    writes.push(write);
  }
  await Promise.all(writes);
}

/**
 * A middleware that counts each request it wraps for the subjects `subjectsOf` names (read after
 * the handler, so the answer's status is known). Registered after authentication: only a proven
 * key or credential is counted.
 * @example
 * .use(ROUTES.connectionMe, countUsage((c) => [{ type: "connection", id: c.get("connection").connectionId }], "widget"))
 */
export function countUsage<E extends HonoEnv & { Bindings: Env }>(
  subjectsOf: (c: Context<E>) => UsageSubject[],
  source: UsageSource,
): MiddlewareHandler<E> {
  return async (c, next) => {
    await next();
    if (c.req.method === "OPTIONS") return;
    const defer = deferTo(c);
    const country = (c.req.raw.cf as { country?: unknown } | undefined)?.country;
    try {
      for (const subject of subjectsOf(c)) {
        countRequest(c.env, defer, { subject, source, status: c.res.status, country });
      }
    } catch (error) {
      logEvent("warn", "usage.count_failed", { error: error instanceof Error ? error.name : typeof error });
    }
  };
}

/** The request's `waitUntil`, or running the work unattended where there is no execution context. */
export function deferTo(c: Context): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (app.request in tests): the promise still runs.
    }
  };
}
