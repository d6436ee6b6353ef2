// Widget size: our published entry against comparable login widgets, bundled the same way
// (packages/react/scripts/size.mjs: minified ESM, peers external, gzip -9 and brotli).

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { BUDGET, measureBundle, measureWidget } from "../../packages/react/scripts/size.mjs";
import { ROOT } from "../lib/paths.mjs";

const execFileAsync = promisify(execFile);
const BUTTON_LINE = /(ok {2}|FAIL) button \(InstagramConnect\): (\d+) B gzip \(min (\d+) B, brotli (\d+) B/;

/**
 * Issue 17 goal 4: the connect button as published, from packages/react/scripts/size-packed.mjs
 * (packs the tarballs, bundles each entry the way a user's bundler sees it) through turbo, which
 * builds react first (a cache hit when nothing changed).
 */
async function packedRow(row) {
  try {
    const { stdout } = await execFileAsync(
      "pnpm",
      ["turbo", "run", "size", "--filter=@instagram-connect/react"],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const match = BUTTON_LINE.exec(stdout);
    if (!match) throw new Error("no button line in the size-packed output");
    const sizes = { gzip: Number(match[2]), min: Number(match[3]), brotli: Number(match[4]) };
    return { ...row("connect button as published (packed tarballs)", sizes, BUDGET), issueGoal: 4 };
  } catch (error) {
    return {
      subject: "connect button as published (packed tarballs)",
      metric: "min+gzip",
      value: 0,
      unit: "B",
      ratio: 0,
      extra: `not measured: ${String(error?.message ?? error).split("\n")[0]}`,
      issueGoal: 4,
    };
  }
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
      // Informational: every export of src/ at once. The hard budget is the button's, measured on the
      // packed tarballs (the other entries have their own budgets in react's size-packed.mjs).
      row("@instagram-connect/react src/ (all exports, informational)", ours),
      await packedRow(row),
      ...others.map((other) => row(`${other.name} (all exports)`, other)),
    ],
    raw: { ours, others },
  };
}
