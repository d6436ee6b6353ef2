import { defineConfig } from "tsdown";

// One self-contained ESM file (no dependencies at run time), for a single <script type="module">:
// the shared contract is bundled in (tree-shaken), so a plain page needs no import map.
export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  dts: true,
  platform: "browser",
  minify: true,
  noExternal: [/^@instagram-connect\//],
});
