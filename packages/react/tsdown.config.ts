import { defineConfig } from "tsdown";

/**
 * The shared chunk holding the components and hooks (client.js itself keeps the directive from
 * its source): it, and only it, gets "use client".
 */
const CLIENT_CHUNK = /^(client-.+|feed)\.js$/;

export default defineConfig({
  // Entries so server components can import the package: index (no directive) re-exports
  // client (the components and hooks, "use client") and labels (plain data). The feed is its own
  // entry: importing the connect button does not pay for it; so is the session entry.
  entry: {
    index: "src/index.ts",
    client: "src/client.ts",
    labels: "src/labels.ts",
    feed: "src/feed/index.ts",
    // Connect sessions and the account list: only sites that import them pay for them.
    session: "src/session/index.ts",
  },
  format: "esm",
  // Every shared chunk holds client code (components, hooks): named client-*, so it gets the directive.
  outputOptions: { chunkFileNames: "client-[hash].js" },
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
  copy: [
    { from: "src/styles.css", to: "dist" },
    { from: "src/feed/feed.css", to: "dist" },
  ],
});
