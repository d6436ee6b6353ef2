// Measures the widget as users get it: packs @instagram-connect/types and @instagram-connect/react
// (the tarballs npm would publish), unpacks them into a scratch node_modules the way an install
// would, bundles one entry per piece with esbuild (minified, production, peers external), gzips,
// and fails when a piece is over its budget. Also checks the packed type files (scripts/check-dist.mjs)
// and reports the stylesheet, which is not part of the JavaScript budget.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { measureBundle } from "./size.mjs";

const react = new URL("..", import.meta.url).pathname;
const types = new URL("../../types", import.meta.url).pathname;

/** One entry per piece a site may import on its own, each with its own budget (bytes, min+gzip). */
export const ENTRIES = [
  // Hard budget of the connect button (issue 17); the aim is at or under @nangohq/frontend's 3825 B.
  {
    name: "button (InstagramConnect)",
    code: 'export { InstagramConnect } from "@instagram-connect/react";',
    budget: 4096,
    aim: 3825,
  },
  {
    name: "headless hook (useInstagramConnect)",
    code: 'export { useInstagramConnect } from "@instagram-connect/react";',
    budget: 3584,
  },
  {
    name: "media feed (useInstagramMedia)",
    code: 'export { useInstagramMedia } from "@instagram-connect/react";',
    budget: 2048,
  },
  {
    name: "labels (DEFAULT_LABELS)",
    code: 'export { DEFAULT_LABELS } from "@instagram-connect/react";',
    budget: 512,
  },
  { name: "everything", code: 'export * from "@instagram-connect/react";', budget: 5120 },
  // The public feed is its own entry (issue 15): importing the button does not pay for it.
  {
    name: "feed (InstagramFeed)",
    code: 'export { InstagramFeed } from "@instagram-connect/react/feed";',
    budget: 5120,
  },
  // The session entry (@instagram-connect/react/session): only sites with connect sessions pay for it.
  {
    name: "session button (InstagramConnect from /session)",
    code: 'export { InstagramConnect } from "@instagram-connect/react/session";',
    budget: 4864,
  },
  {
    name: "account list (InstagramAccounts from /session)",
    code: 'export { InstagramAccounts } from "@instagram-connect/react/session";',
    budget: 5632,
  },
];

function pack(dir, into) {
  const before = new Set(readdirSync(into));
  execFileSync("pnpm", ["pack", "--pack-destination", into], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(into).find((f) => f.endsWith(".tgz") && !before.has(f));
  if (!tarball) throw new Error(`pnpm pack produced no tarball in ${dir}`);
  return join(into, tarball);
}

/** Unpacks `tarball` as node_modules/<name>, like an install would (its package/ folder is the package). */
function unpack(tarball, root, name) {
  const target = join(root, "node_modules", name);
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  return target;
}

/**
 * Packs and installs the tarballs in a scratch folder and measures every entry; returns one
 * result per entry (`{ name, budget, aim?, min, gzip, brotli }`) and the stylesheet's sizes.
 */
export async function measurePacked() {
  const scratch = mkdtempSync(join(tmpdir(), "ic-size-"));
  try {
    const tarballs = join(scratch, "tarballs");
    mkdirSync(tarballs);
    unpack(pack(types, tarballs), scratch, "@instagram-connect/types");
    const installed = unpack(pack(react, tarballs), scratch, "@instagram-connect/react");
    execFileSync(process.execPath, [join(react, "scripts/check-dist.mjs"), join(installed, "dist")], {
      stdio: "inherit",
    });
    const entries = [];
    for (const entry of ENTRIES) {
      entries.push({
        ...entry,
        ...(await measureBundle({ contents: entry.code, resolveDir: scratch })),
      });
    }
    const css = readFileSync(join(installed, "dist/styles.css"));
    return { entries, css: { raw: css.length, gzip: gzipSync(css, { level: 9 }).length } };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { entries, css } = await measurePacked();
  let failed = false;
  for (const entry of entries) {
    const { min, gzip, brotli } = entry;
    const over = gzip > entry.budget;
    failed ||= over;
    const aim = entry.aim ? `, aim ${entry.aim} B${gzip <= entry.aim ? " met" : " NOT met"}` : "";
    console.log(
      `${over ? "FAIL" : "ok  "} ${entry.name}: ${gzip} B gzip (min ${min} B, brotli ${brotli} B; budget ${entry.budget} B${aim})`,
    );
  }
  console.log(`     styles.css: ${css.raw} B, ${css.gzip} B gzip (not in the JS budget)`);
  if (failed) {
    console.error("over budget (measured on the packed tarballs)");
    process.exitCode = 1;
  }
}
