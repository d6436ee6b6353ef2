#!/usr/bin/env node
// `npx @instagram-connect/client keys create|list|revoke` (src/cli.ts). Plain JavaScript with no
// static imports, so the Node version check runs before anything that an old Node cannot load.
// INSTAGRAM_CONNECT_NODE_VERSION pretends another version (test/cli.test.ts uses it).
const found = process.env.INSTAGRAM_CONNECT_NODE_VERSION || process.version;
const [major = 0] = found.replace(/^v/, "").split(".").map(Number);
if (major < 22) {
  console.error(`@instagram-connect/client CLI needs Node >= 22 (found ${found}).`);
  process.exit(1);
}
const { runCli } = await import("../dist/cli.mjs");
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
