import { defineConfig } from "tsdown";

export default defineConfig([
  { entry: ["src/index.ts"], format: "esm", dts: true, platform: "neutral" },
  // The CLI (bin/instagram-connect-client.mjs loads it after its Node version check); not a public import.
  { entry: ["src/cli.ts"], format: "esm", dts: false, platform: "node" },
]);
