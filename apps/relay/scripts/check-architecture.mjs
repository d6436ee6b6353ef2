#!/usr/bin/env node
// Architecture checks for apps/relay/src, run by `pnpm test` (plain Node, no dependencies):
// 1. the folder-level import graph has no cycle (a root file counts as its own node);
// 2. runtime code never imports the openapi folder (only app.ts mounts its route);
// 3. exactly one module reads settings by name from env (bindings stay on env);
// 4. every checklist item (S1, S2, ...) cited in the repository's code and tests has a section
//    in the root SECURITY.md.
// `--report` prints the graph and the numbers instead of only failing.
import "../../../scripts/require-node.mjs";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const SETTINGS_MODULE = "config/relay-config.ts";

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** A file's node: its top folder under src, or the file itself when it sits in src. */
function nodeOf(file) {
  const rel = relative(src, file).split("/");
  return rel.length === 1 ? rel[0] : rel[0];
}

// Settings are the wrangler vars plus the required secrets; bindings are everything else on Env.
const wrangler = JSON.parse(
  readFileSync(join(root, "wrangler.jsonc"), "utf8")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/,(\s*[}\]])/g, "$1"),
);
const settings = new Set([
  ...Object.keys(wrangler.vars ?? {}),
  ...(wrangler.secrets?.required ?? []),
  "WEBHOOK_SECRET",
]);

const files = walk(src);
const edges = new Map();
const readers = [];
const openapiImports = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const from = nodeOf(file);
  for (const match of text.matchAll(
    /(?:import|export)[^"']*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g,
  )) {
    const target = resolve(dirname(file), match[1] ?? match[2]);
    if (!target.startsWith(src)) continue;
    const to = nodeOf(target);
    if (to === "openapi" && from !== "openapi" && from !== "app.ts") openapiImports.push(relative(src, file));
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
  }
  // A setting read by name: `.NAME`, `["NAME"]` or `"NAME"` for a wrangler var or secret.
  const names = [...text.matchAll(/(?:\.|\[\s*["']|["'])([A-Z][A-Z0-9_]+)\b/g)].map((m) => m[1]);
  if (names.some((name) => settings.has(name))) readers.push(relative(src, file));
}

// Every elementary cycle would be too many to print; strongly connected components say enough.
function components() {
  let index = 0;
  const stack = [];
  const info = new Map();
  const result = [];
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  function visit(node) {
    info.set(node, { index, low: index, onStack: true });
    index++;
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (!info.has(next)) {
        visit(next);
        info.get(node).low = Math.min(info.get(node).low, info.get(next).low);
      } else if (info.get(next).onStack) {
        info.get(node).low = Math.min(info.get(node).low, info.get(next).index);
      }
    }
    if (info.get(node).low === info.get(node).index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        info.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) result.push(component.sort());
    }
  }
  for (const node of nodes) if (!info.has(node)) visit(node);
  return result;
}

const cycles = components();
const pairs = [];
for (const [from, tos] of edges)
  for (const to of tos) if (from < to && edges.get(to)?.has(from)) pairs.push(`${from}<->${to}`);
const problems = [];
for (const cycle of cycles) problems.push(`folder import cycle: ${cycle.join(", ")}`);
for (const file of openapiImports) problems.push(`runtime code imports the openapi folder: ${file}`);
const extraReaders = readers.filter((file) => file !== SETTINGS_MODULE);
if (extraReaders.length > 0) {
  problems.push(`settings read by name outside ${SETTINGS_MODULE}: ${extraReaders.join(", ")}`);
}

// 4. S-numbers cited in apps/ and packages/ (sources, tests, docs) must exist in SECURITY.md.
const repo = resolve(root, "../..");
const documented = new Set(
  [...readFileSync(join(repo, "SECURITY.md"), "utf8").matchAll(/^### (S\d+)\b/gm)].map((m) => m[1]),
);
function walkRepo(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walkRepo(path) : /\.(tsx?|mjs|md)$/.test(name) ? [path] : [];
  });
}
for (const file of [...walkRepo(join(repo, "apps")), ...walkRepo(join(repo, "packages"))]) {
  for (const [number] of readFileSync(file, "utf8").matchAll(/\bS\d{1,2}\b/g)) {
    if (!documented.has(number))
      problems.push(`${relative(repo, file)} cites ${number}, missing from SECURITY.md`);
  }
}

if (process.argv.includes("--report")) {
  const lines = files.map((file) => readFileSync(file, "utf8").split("\n").length - 1);
  console.log(`files: ${files.length}, lines: ${lines.reduce((a, b) => a + b, 0)}`);
  console.log(
    `folder cycles (strongly connected groups): ${cycles.length}; two-way pairs: ${pairs.join(" ") || "none"}`,
  );
  console.log(`modules reading settings by name: ${readers.length} (${readers.join(", ")})`);
  for (const [from, tos] of [...edges].sort()) console.log(`  ${from} -> ${[...tos].sort().join(", ")}`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-architecture: ${problem}`);
  process.exit(1);
}
console.log(
  `check-architecture: ok (${files.length} files, no folder cycle, settings read only in ${SETTINGS_MODULE})`,
);
