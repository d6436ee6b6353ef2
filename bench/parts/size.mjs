// Widget size: our published entry against comparable login widgets, bundled the same way
// (packages/react/scripts/size.mjs: minified ESM, peers external, gzip -9 and brotli).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUDGET, measureBundle, measureWidget } from "../../packages/react/scripts/size.mjs";
import { ROOT } from "../lib/paths.mjs";

/**
 * Hook for issue 17 goal 4: the widget as published (packed tarballs, bundled the way a user's
 * bundler sees them) comes from `scripts/size-packed.mjs` (the widget branch). Until that script
 * is in the tree the row says so; when it is, its `measurePacked()` result ({ gzip, min, brotli })
 * is reported against the same 4096 B budget.
 */
export const PACKED_SIZE_SCRIPT = join(ROOT, "scripts/size-packed.mjs");

async function packedRow(row) {
  if (!existsSync(PACKED_SIZE_SCRIPT)) {
    return {
      subject: "@instagram-connect/react as published (packed)",
      metric: "min+gzip",
      value: 0,
      unit: "B",
      ratio: 0,
      extra: "not measured: scripts/size-packed.mjs is not in this tree (widget branch)",
    };
  }
  const module = await import(pathToFileURL(PACKED_SIZE_SCRIPT).href);
  const measure = module.measurePacked ?? module.default;
  return row("@instagram-connect/react as published (packed)", await measure(), BUDGET);
}

/** Comparable widgets installed as root devDependencies; the first is the baseline. */
export const COMPARABLES = ["@react-oauth/google", "@greatsumini/react-facebook-login"];

/** Measures every entry; fails the budget when ours exceeds BUDGET bytes gzip. */
export async function run() {
  const ours = await measureWidget();
  const others = [];
  for (const name of COMPARABLES) {
    others.push({
      name,
      ...(await measureBundle({ contents: `export * from "${name}";`, resolveDir: ROOT })),
    });
  }
  const baseline = others[0];
  const row = (subject, sizes, budget) => ({
    subject,
    metric: "min+gzip",
    value: sizes.gzip,
    unit: "B",
    ratio: sizes.gzip / baseline.gzip,
    extra: `min ${sizes.min} B, brotli ${sizes.brotli} B (${(sizes.brotli / baseline.brotli).toFixed(2)}x)`,
    ...(budget === undefined ? {} : { budget, pass: sizes.gzip <= budget }),
  });
  return {
    part: "size",
    baseline: `${baseline.name} min+gzip (${baseline.gzip} B), same bundling`,
    rows: [
      row("@instagram-connect/react (all exports)", ours, BUDGET),
      await packedRow(row),
      ...others.map((other) => row(`${other.name} (all exports)`, other)),
    ],
    raw: { ours, others },
  };
}
