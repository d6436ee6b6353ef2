// Widget size: our published entry against comparable login widgets, bundled the same way
// (packages/react/scripts/size.mjs: minified ESM, peers external, gzip -9 and brotli).

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { measureBundle } from "../../packages/react/scripts/size.mjs";
import { ROOT } from "../lib/paths.mjs";

/** The widget as published: the packed tarballs, installed and bundled the way a user's bundler sees them. */
export const PACKED_SIZE_SCRIPT = join(ROOT, "packages/react/scripts/size-packed.mjs");

async function packedRows(row) {
  const { measurePacked } = await import(pathToFileURL(PACKED_SIZE_SCRIPT).href);
  const { entries } = await measurePacked();
  return entries.map((entry) => ({
    ...row(`@instagram-connect/react ${entry.name}, as published (packed)`, entry, entry.budget),
    // Issue 17 goal 4 is the connect button's hard budget; the other entries have their own.
    ...(entry.name.startsWith("button ") ? { issueGoal: 4 } : {}),
  }));
}

/** Comparable widgets installed as root devDependencies; the first is the baseline. */
export const COMPARABLES = ["@react-oauth/google", "@greatsumini/react-facebook-login"];

/** Measures every entry; fails the budget when ours exceeds BUDGET bytes gzip. */
export async function run() {
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
    rows: [...(await packedRows(row)), ...others.map((other) => row(`${other.name} (all exports)`, other))],
    raw: { others },
  };
}
