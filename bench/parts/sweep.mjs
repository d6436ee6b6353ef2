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

const kvOps = (counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);

function row({ store, n, k, sweep, fullScan }) {
  const ours = kvOps(sweep.kvOps);
  const scan = kvOps(fullScan.kvOps);
  // workerd's clock only moves on I/O, so wall time means something against the real binding only.
  const wall =
    store === "local KV" ? `, wall ${Math.round(sweep.wallMs)} ms vs ${Math.round(fullScan.wallMs)} ms` : "";
  return {
    subject: `N=${n.toLocaleString("en")} k=${k.toLocaleString("en")} (${store})`,
    metric: "KV ops / sweep",
    value: ours,
    unit: "ops",
    ratio: ours / scan,
    extra: `${sweep.refreshHandOffs} hand-offs; full scan ${scan} lists, ${fullScan.keysRead} keys${wall}`,
  };
}

/** Runs the workerd sweep benchmark and turns its rows into table rows. */
export async function runSweep() {
  if (!existsSync(join(RELAY_DIR, "src", "lifecycle", "refresh-sweep.ts"))) {
    throw new Error("apps/relay/src/lifecycle/refresh-sweep.ts not found: nothing to measure");
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
  return {
    part: "sweep",
    baseline: `full scan of the due: index on the same data (KV ops = list calls; cutoff ${result.cutoff})`,
    rows: result.rows.map(row),
    raw: result,
  };
}

export { runSweep as run };
