// Refresh sweep cost: runs apps/relay/bench/sweep.bench-run.ts in workerd (bench-only vitest
// config) and reads its SWEEP_RESULT line. Baseline: a full scan of the due index on the same data.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { RELAY_DIR } from "../lib/paths.mjs";

const run = promisify(execFile);
const VITEST_BIN = join(RELAY_DIR, "node_modules", ".bin", "vitest");
const MARKER = "SWEEP_RESULT ";
const QUEUED_MARKER = "SWEEP_QUEUED_RESULT ";
/** Conservative per-invocation subrequest limit (Workers Paid was 1,000; it is 10,000 today). */
const SUBREQUEST_LIMIT = 1000;

// Goal 7 of issue 17: at N = 10M every due connection is handed on by one cron's walk, and no
// single invocation (walk step or consumer batch) does more than a bounded, N-independent amount.
function queuedRow(r, batch) {
  const perInvocation = Math.max(
    r.maxListsPerInvocation + r.maxSendsPerInvocation,
    2 * r.maxCoordinatorCallsPerInvocation,
  );
  return {
    subject: `queued fan-out N=${r.n.toLocaleString("en")} k=${r.k.toLocaleString("en")} (computed KV-shaped index)`,
    metric: "max subrequests / invocation",
    value: perInvocation,
    unit: "calls",
    ratio: r.listCalls / r.fullScanLists,
    extra: `walk: ${r.walkInvocations} invocations, ${r.listCalls} lists (full scan ${r.fullScanLists}), <= ${r.maxListsPerInvocation} lists + ${r.maxSendsPerInvocation} sends each, ${Math.round(r.walkMs)} ms; consumer: ${r.consumerInvocations} batches of ${batch}, <= ${r.maxCoordinatorCallsPerInvocation} coordinator calls each; ratio = lists / full-scan lists`,
    goal: `all k enqueued, <= ${SUBREQUEST_LIMIT} subrequests per invocation`,
    met: perInvocation <= SUBREQUEST_LIMIT,
    issueGoal: 7,
  };
}

const kvOps = (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

function row({ store, n, k, sweep, fullScan }) {
  const ours = kvOps(sweep.kvOps);
  const scan = kvOps(fullScan.kvOps);
  // workerd's clock only moves on I/O, so wall time means something against the real binding only.
  const wall =
    store === "local KV" ? `, wall ${Math.round(sweep.wallMs)} ms vs ${Math.round(fullScan.wallMs)} ms` : "";
  return {
    subject: `N=${n.toLocaleString("en")} k=${k.toLocaleString("en")} (${store})`,
    metric: "KV ops / cron walk",
    value: ours,
    unit: "ops",
    ratio: ours / scan,
    extra: `${sweep.refreshHandOffs} hand-offs; full scan ${scan} lists, ${fullScan.keysRead} keys${wall}`,
  };
}

/** Runs the workerd sweep benchmark and turns its rows into table rows. */
export async function runSweep() {
  if (!existsSync(join(RELAY_DIR, "src", "lifecycle", "refresh-queue.ts"))) {
    throw new Error("apps/relay/src/lifecycle/refresh-queue.ts not found: nothing to measure");
  }
  let stdout;
  try {
    ({ stdout } = await run(VITEST_BIN, ["run", "--config", "bench/vitest.config.ts"], {
      cwd: RELAY_DIR,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 30 * 60_000,
    }));
  } catch (error) {
    const detail = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`sweep bench run failed:\n${detail}`);
  }
  const line = stdout.split("\n").find((l) => l.startsWith(MARKER));
  if (!line) throw new Error("the sweep bench printed no SWEEP_RESULT line");
  const result = JSON.parse(line.slice(MARKER.length));
  const queuedLine = stdout.split("\n").find((l) => l.startsWith(QUEUED_MARKER));
  if (!queuedLine) throw new Error("the sweep bench printed no SWEEP_QUEUED_RESULT line");
  const queued = JSON.parse(queuedLine.slice(QUEUED_MARKER.length));
  return {
    part: "sweep",
    baseline: `full scan of the due: index on the same data (KV ops = list calls; cutoff ${result.cutoff})`,
    rows: [...result.rows.map(row), ...queued.rows.map((r) => queuedRow(r, queued.batch))],
    raw: { walk: result, queued },
  };
}

export { runSweep as run };
