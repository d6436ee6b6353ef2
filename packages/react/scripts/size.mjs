// Bundles the published entry the way an app would (minified, peers external) and checks the budget.
// `measureBundle` is shared with the root benchmark (bench/parts/size.mjs), which measures other
// widgets the same way, so the figures compare like with like.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The widget's budget: bytes of min+gzip. */
export const BUDGET = 4096;

/** Peers an app already ships: left out of every measured bundle. */
export const PEERS = ["react", "react-dom", "react/jsx-runtime", "@tanstack/react-query"];

/** Minified ESM bundle of `entry` (a file path, or `{ contents, resolveDir }`) with `external` left out: its byte sizes. */
export async function measureBundle(entry, external = PEERS) {
  const input = typeof entry === "string" ? { entryPoints: [entry] } : { stdin: { ...entry, loader: "js" } };
  const result = await build({
    ...input,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    external,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].contents;
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
  };
}

/** Sizes of this package's entry, `@instagram-connect/types` included, peers excluded. */
export function measureWidget() {
  return measureBundle(new URL("../src/index.ts", import.meta.url).pathname);
}

if (import.meta.main) {
  const { min, gzip, brotli } = await measureWidget();
  console.log(`min ${min} B, gzip ${gzip} B, brotli ${brotli} B (budget ${BUDGET} B gzip)`);
  if (gzip > BUDGET) {
    console.error(`over budget by ${gzip - BUDGET} B`);
    process.exit(1);
  }
}
