import { defineConfig } from "tsdown";

export default defineConfig({
  // The feed is its own entry: importing the connect button does not pay for it.
  entry: { index: "src/index.ts", feed: "src/feed/index.ts" },
  copy: [{ from: "src/feed/feed.css", to: "dist" }],
  format: "esm",
  dts: true,
  platform: "browser",
  deps: {
    neverBundle: [
      "react",
      "react-dom",
      "react/jsx-runtime",
      "@tanstack/react-query",
      "@instagram-connect/types",
    ],
  },
  // Bundling drops the per-module "use client" directives (hence the check is off); every
  // export here is client-side, so the bundle carries one directive at the top.
  banner: '"use client";',
  checks: { moduleLevelDirective: false },
});
