#!/usr/bin/env node
// `pnpm bench`: widget size, relay bundle, relay latency and refresh sweep cost. Every figure is a
// ratio against a baseline measured in the same run; loopback only, bounded load.
// Flags: --only size,bundle,latency,flow,sweep   --duration <s> (per subject and repetition, default 2)
//        --reps <n> (interleaved repetitions, default 5)   --flows <n> (connect flows in all, >= 5 per rep)
// Writes bench/results/<part>.json and summary.json. Exit 1 when a budget (size, bundle) is
// exceeded, 2 when a part could not run; latency goals are reported, never fail the run.
import "../scripts/require-node.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RESULTS_DIR } from "./lib/paths.mjs";
import { renderGoals, renderTable } from "./lib/table.mjs";

const PARTS = {
  size: () => import("./parts/size.mjs"),
  bundle: () => import("./parts/bundle.mjs"),
  latency: () => import("./parts/latency.mjs"),
  flow: () => import("./parts/flow.mjs"),
  sweep: () => import("./parts/sweep.mjs"),
};

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    duration: { type: "string", default: "2" },
    flows: { type: "string", default: "10" },
    reps: { type: "string", default: "5" },
  },
});
const selected = values.only ? values.only.split(",").map((p) => p.trim()) : Object.keys(PARTS);
const unknown = selected.filter((part) => !(part in PARTS));
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(", ")}; choose from ${Object.keys(PARTS).join(", ")}`);
  process.exit(2);
}
const durationSeconds = Number(values.duration);
const flows = Number(values.flows);
const repetitions = Number(values.reps);
if (
  !(durationSeconds > 0 && durationSeconds <= 60) ||
  !(Number.isInteger(flows) && flows > 0 && flows <= 500) ||
  !(Number.isInteger(repetitions) && repetitions >= 5 && repetitions <= 50)
) {
  console.error("--duration must be 1..60 seconds, --flows 1..500, --reps 5..50 (the load stays bounded)");
  process.exit(2);
}

mkdirSync(RESULTS_DIR, { recursive: true });
const results = [];
for (const part of selected) {
  process.stdout.write(`[bench] ${part}...\n`);
  const started = performance.now();
  let result;
  try {
    const module = await PARTS[part]();
    result = await module.run({ durationSeconds, flows, repetitions });
  } catch (error) {
    result = { part, error: error instanceof Error ? error.message : String(error) };
  }
  result.seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  writeFileSync(join(RESULTS_DIR, `${part}.json`), `${JSON.stringify(result, null, 2)}\n`);
  results.push(result);
}

const overBudget = results.flatMap((r) => (r.rows ?? []).filter((row) => row.pass === false));
const failed = results.filter((r) => r.error).map((r) => r.part);
const summary = {
  at: new Date().toISOString(),
  node: process.version,
  parts: results.map(({ raw: _raw, ...rest }) => rest),
  overBudget: overBudget.map((row) => row.subject),
  failed,
};
writeFileSync(join(RESULTS_DIR, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
console.log(renderTable(results));
console.log(renderGoals(results));
console.log(`\nresults: ${RESULTS_DIR}`);
if (overBudget.length > 0) {
  console.error(`over budget: ${overBudget.map((row) => row.subject).join(", ")}`);
  process.exit(1);
}
if (failed.length > 0) {
  console.error(`could not run: ${failed.join(", ")}`);
  process.exit(2);
}
