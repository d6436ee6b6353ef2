// Widget size: our published entry against comparable login widgets, bundled the same way
// (packages/react/scripts/size.mjs: minified ESM, peers external, gzip -9 and brotli).
import { BUDGET, measureBundle, measureWidget } from "../../packages/react/scripts/size.mjs";
import { ROOT } from "../lib/paths.mjs";

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
      ...others.map((other) => row(`${other.name} (all exports)`, other)),
    ],
    raw: { ours, others },
  };
}
