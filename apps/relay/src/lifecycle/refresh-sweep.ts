import { relayConfig } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";
import { coordinatorFor } from "./connection-coordinator.ts";
import type { RefreshOutcome } from "./refresh-connection.ts";
import { dueCutoffDay, dueOnPage } from "./refresh-policy.ts";

/** Knobs of one sweep (production uses the defaults). */
export interface SweepOptions {
  /** Keys per KV `list` call (1..1000). */
  pageSize?: number;
  /** Connections handled per run; the rest wait for the next cron run. */
  maxConnections?: number;
  /** Coordinators called at once. */
  concurrency?: number;
  /** Refreshes one connection (default: its ConnectionCoordinator). */
  refresh?: (connectionId: string) => Promise<RefreshOutcome>;
}

/** What a sweep did. */
export interface SweepReport {
  /** Cutoff day: entries dated on or before it were due. */
  cutoff: string;
  /** KV `list` calls made. */
  listCalls: number;
  /** Connections handed to their coordinator. */
  due: number;
  outcomes: Partial<Record<RefreshOutcome["status"], number>>;
  /** Coordinator calls that threw (logged; retried by the next sweep). */
  errors: number;
}

/**
 * The inline refresh sweep (no queue): walks the `due:` index in date order, stops at the first
 * entry after today (plus the configured window), and asks each due connection's coordinator to
 * refresh, in this invocation, at most `maxConnections`. The cron uses the queued fan-out instead
 * (refresh-queue.ts), which has no such cap; this one serves the refresh-policy tests and the
 * bench's baseline, and needs no queue binding.
 * Cost grows with the number of due connections, never with all connections. Safe to run
 * twice or to rerun after dying half way (S25): each coordinator re-reads its record and
 * skips what is already fresh. Pages are handled as they are read, so progress is kept.
 *
 * @example
 * ctx.waitUntil(runRefreshSweep(env));
 */
export async function runRefreshSweep(env: Env, options: SweepOptions = {}): Promise<SweepReport> {
  const settings = unwrap(relayConfig(env).lifecycle);
  const pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  const maxConnections = options.maxConnections ?? 5000;
  const refresh =
    options.refresh ?? ((connectionId: string) => coordinatorFor(env, connectionId).refresh(connectionId));
  const report: SweepReport = {
    cutoff: dueCutoffDay(now(), settings.refreshWindowMs),
    listCalls: 0,
    due: 0,
    outcomes: {},
    errors: 0,
  };
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await env.CONNECTIONS.list({
      prefix: KV_PREFIXES.refreshDue,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    report.listCalls++;
    const { due: batch, reachedFuture } = dueOnPage(page.keys, report.cutoff, seen, maxConnections);
    await inParallel(batch, options.concurrency ?? 8, async (connectionId) => {
      report.due++;
      try {
        const outcome = await refresh(connectionId);
        report.outcomes[outcome.status] = (report.outcomes[outcome.status] ?? 0) + 1;
      } catch (error) {
        report.errors++;
        const name = error instanceof Error ? error.name : "unknown";
        logEvent("error", "refresh_sweep_connection_failed", { connectionId, name });
      }
    });
    if (reachedFuture || page.list_complete || seen.size >= maxConnections) break;
    cursor = page.cursor;
  }
  logEvent("info", "refresh_sweep_done", {
    cutoff: report.cutoff,
    listCalls: report.listCalls,
    due: report.due,
    errors: report.errors,
    outcomes: JSON.stringify(report.outcomes),
  });
  return report;
}

async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
