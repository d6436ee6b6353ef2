// Bundles an entry the way an app would (minified, peers external). `scripts/size-packed.mjs`
// measures the packed tarballs with it; it is shared with the root benchmark (bench/parts/size.mjs), which measures other
// widgets the same way, so the figures compare like with like.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { build } from "esbuild";

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
