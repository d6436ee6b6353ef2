// Measures each published entry of the *packed* tarball the way an app bundles it (minified,
// peers external) and checks its budget. `BUDGETS` is the list to merge with other entries'
// budgets (the widget's size-packed.mjs keeps the same {entry, budget} shape).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureBundle, PEERS } from "./size.mjs";

/** Published entries and their budgets (bytes of min+gzip). */
export const BUDGETS = [{ entry: "./feed", file: "dist/feed.js", budget: 5120 }];

const root = fileURLToPath(new URL("..", import.meta.url));

/** Packs the package (building it first), unpacks it, and measures every budgeted entry. */
export async function measurePacked() {
  const dir = mkdtempSync(join(tmpdir(), "ic-react-pack-"));
  try {
    execFileSync("pnpm", ["run", "build"], { cwd: root, stdio: "ignore" });
    execFileSync("pnpm", ["pack", "--pack-destination", dir], { cwd: root, stdio: "ignore" });
    const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"));
    execFileSync("tar", ["-xzf", join(dir, tarball), "-C", dir]);
    const results = [];
    for (const { entry, file, budget } of BUDGETS) {
      // The tarball's own dependencies resolve from this package's node_modules.
      const sizes = await measureBundle(join(dir, "package", file), [...PEERS]);
      results.push({ entry, budget, ...sizes });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  let over = false;
  for (const { entry, budget, min, gzip, brotli } of await measurePacked()) {
    console.log(`${entry}: min ${min} B, gzip ${gzip} B, brotli ${brotli} B (budget ${budget} B gzip)`);
    if (gzip > budget) {
      console.error(`${entry} over budget by ${gzip - budget} B`);
      over = true;
    }
  }
  if (over) process.exit(1);
}
