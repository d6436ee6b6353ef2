import { defineConfig } from "tsdown";

/**
 * The shared chunk holding the components and hooks (client.js itself keeps the directive from
 * its source): it, and only it, gets "use client".
 */
const CLIENT_CHUNK = /^client-.+\.js$/;

export default defineConfig({
  // Three entries so server components can import the package: index (no directive) re-exports
  // client (the components and hooks, "use client") and labels (plain data).
  entry: { index: "src/index.ts", client: "src/client.ts", labels: "src/labels.ts" },
  format: "esm",
  dts: true,
  // "neutral": "browser" would replace process.env.NODE_ENV, baking the development check into
  // production bundles; the consumer's bundler decides it.
  platform: "neutral",
  deps: {
    neverBundle: [
      "react",
      "react-dom",
      "react/jsx-runtime",
      "@tanstack/react-query",
      "@instagram-connect/types",
    ],
  },
  // Bundling drops per-module directives (hence the check is off). The directive goes on the
  // client chunk's JavaScript only: in a .d.ts it is an error (TS1036) for any consumer with
  // skipLibCheck: false.
  banner: ({ fileName }) => (CLIENT_CHUNK.test(fileName) ? { js: '"use client";' } : undefined),
  checks: { moduleLevelDirective: false },
  copy: [{ from: "src/styles.css", to: "dist" }],
});
