// Every repo script checks the Node version before anything else: on an old Node it prints one line
// ("needs Node >= 22 … found …; run `bash .ci/run` or use nvm") instead of ERR_UNKNOWN_FILE_EXTENSION.
// Entry scripts are the .mjs files with a `#!/usr/bin/env node` line in scripts/, apps/relay/scripts/,
// bench/ and packages/*/scripts/.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const guard = join(root, "scripts/require-node.mjs");
const dirs = [
  "scripts",
  "apps/relay/scripts",
  "bench",
  ...readdirSync(join(root, "packages")).map((p) => `packages/${p}/scripts`),
];
const entries = dirs
  .filter((dir) => existsSync(join(root, dir)))
  .flatMap((dir) => readdirSync(join(root, dir)).map((file) => join(root, dir, file)))
  .filter((file) => file.endsWith(".mjs") && readFileSync(file, "utf8").startsWith("#!/usr/bin/env node"));

/** Static `import … from "x"`, `import "x"` and `export … from "x"` specifiers (not `await import()`). */
function staticImports(file) {
  const source = readFileSync(file, "utf8");
  const pattern = /^\s*(?:import|export)\s+(?:[^;'"]*?\sfrom\s+)?["']([^"']+)["']/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

test("there are entry scripts to check", () => {
  const names = entries.map((file) => relative(root, file));
  for (const expected of [
    "scripts/dev.mjs",
    "scripts/consumer-check.mjs",
    "apps/relay/scripts/api-key.mjs",
    "bench/run.mjs",
  ]) {
    assert.ok(names.includes(expected), `${expected} among ${names.join(", ")}`);
  }
});

for (const entry of entries) {
  const name = relative(root, entry);

  test(`${name}: imports scripts/require-node.mjs first`, () => {
    const [first] = staticImports(entry);
    assert.ok(first, "no static import");
    assert.equal(resolve(dirname(entry), first), guard, `first import is ${first}`);
  });

  test(`${name}: loads no TypeScript before the check (static import graph)`, () => {
    const seen = new Set();
    const walk = (file, chain) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of staticImports(file)) {
        const path = [...chain, specifier].join(" -> ");
        assert.ok(
          !specifier.startsWith("@instagram-connect/"),
          `${path}: workspace packages resolve to .ts sources`,
        );
        if (!specifier.startsWith(".")) continue;
        const target = resolve(dirname(file), specifier);
        assert.ok(!/\.(c|m)?tsx?$/.test(target), `${path}: a static .ts import fails to load on old Node`);
        walk(target, [...chain, specifier]);
      }
    };
    walk(entry, [name]);
  });

  test(`${name}: says which Node it needs on Node 20`, () => {
    const result = spawnSync(process.execPath, [entry, "--help"], {
      cwd: root,
      env: { ...process.env, INSTAGRAM_CONNECT_NODE_VERSION: "v20.19.5" },
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(result.status, 1, result.stderr + result.stdout);
    assert.match(result.stderr, /needs Node >= 22 .*found v20\.19\.5.*`bash \.ci\/run` or use nvm/);
    assert.doesNotMatch(result.stderr + result.stdout, /ERR_|\n\s+at /);
  });
}

test("the guard lets the Node running this test pass", () => {
  const result = spawnSync(process.execPath, [guard], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
});
