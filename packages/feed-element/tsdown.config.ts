import { defineConfig } from "tsdown";

// One self-contained ESM file (no dependencies at run time), for a single <script type="module">.
export default defineConfig({
  entry: ["src/index.ts"],
  format: "esm",
  dts: true,
  platform: "browser",
  minify: true,
});
