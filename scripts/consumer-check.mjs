#!/usr/bin/env node
// `pnpm check:consumers` (part of `pnpm test`): the published packages as a site owner gets them.
// Builds and packs @instagram-connect/types, /client and /react, checks each tarball's contents and
// internal ranges, installs the tarballs into the fixtures in consumers/ (copied to a cache directory
// outside the repo) and runs:
//   strict-ts   tsc (strict, skipLibCheck: false) x moduleResolution node16/bundler x TypeScript 5.9/7,
//               then `node run.mjs` (client + types from Node ESM)
//   next-app    `next build` of a minimal App Router site rendering <InstagramConnect> in a server component
// Flags: --only strict-ts,next-app   --skip-build (reuse dist/)   --keep (print the work dir)
// Env: CONSUMER_CHECK_DIR (default ~/.cache/instagram-connect/consumer-check; reused between runs, so
// the pnpm store and .next/cache make later runs faster).
import "./require-node.mjs";
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["types", "client", "react"];
const { values } = parseArgs({
  options: {
    only: { type: "string" },
    "skip-build": { type: "boolean" },
    keep: { type: "boolean" },
  },
});
const only = new Set((values.only ?? "strict-ts,next-app").split(","));
const WORK = process.env.CONSUMER_CHECK_DIR || join(homedir(), ".cache/instagram-connect/consumer-check");
const started = Date.now();
const failures = [];
const timings = [];

function log(message) {
  console.log(`[consumers] ${message}`);
}

/** Runs a command; resolves with its output, rejects with the output's tail on a non-zero exit. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else {
        const error = new Error(`${command} ${args.join(" ")} exited with ${code}`);
        error.output = output;
        reject(error);
      }
    });
  });
}

/** One named assertion: a failure is recorded (with `hint`) and the run goes on to the next one. */
async function step(name, fn, hint) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    timings.push([name, seconds]);
    log(`ok   ${name} (${seconds} s)${detail ? `: ${detail}` : ""}`);
    return true;
  } catch (error) {
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    timings.push([name, seconds]);
    const output = (error.output ?? "").trim().split("\n").slice(-40).join("\n");
    failures.push(name);
    console.error(`[consumers] FAIL ${name} (${seconds} s): ${error.message}${hint ? `\n  ${hint}` : ""}`);
    if (output) console.error(output.replace(/^/gm, "  | "));
    return false;
  }
}

// 1. Build and pack (pnpm pack applies publishConfig and turns workspace:^ into ^<version>).
const tarballDir = join(WORK, "tarballs");
rmSync(tarballDir, { recursive: true, force: true });
mkdirSync(tarballDir, { recursive: true });
const tarballs = {};
const versions = {};
if (!values["skip-build"]) {
  await step("build packages", async () => {
    await run("pnpm", [
      "exec",
      "turbo",
      "run",
      "build",
      "--output-logs=errors-only",
      ...PACKAGES.map((p) => `--filter=@instagram-connect/${p}`),
    ]);
  });
}
for (const name of PACKAGES) {
  const dir = join(ROOT, "packages", name);
  versions[name] = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  await step(`pack @instagram-connect/${name}`, async () => {
    const packDir = join(WORK, "pack", name);
    rmSync(packDir, { recursive: true, force: true });
    await run("pnpm", ["pack", "--pack-destination", packDir], { cwd: dir });
    const [file] = readdirSync(packDir).filter((f) => f.endsWith(".tgz"));
    if (!file) throw new Error("pnpm pack wrote no tarball");
    const bytes = readFileSync(join(packDir, file));
    // A content-addressed name, so pnpm installs the new tarball whenever its content changes.
    const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    tarballs[name] = join(tarballDir, `${name}-${hash}.tgz`);
    writeFileSync(tarballs[name], bytes);
    return `${(bytes.length / 1024).toFixed(1)} KB`;
  });
}
if (failures.length > 0) finish();

// 2. What is in each tarball: LICENSE (the repo's), README, dist; no sources; ^ ranges between them.
const rootLicense = readFileSync(join(ROOT, "LICENSE"), "utf8");
for (const name of PACKAGES) {
  await step(`tarball contents of @instagram-connect/${name}`, async () => {
    const files = execFileSync("tar", ["-tzf", tarballs[name]], { encoding: "utf8" }).trim().split("\n");
    for (const needed of [
      "package/LICENSE",
      "package/README.md",
      "package/package.json",
      "package/dist/index.js",
      "package/dist/index.d.ts",
    ]) {
      if (!files.includes(needed)) throw new Error(`${needed} is missing (has: ${files.join(", ")})`);
    }
    // bin/ holds a package's CLI (the client's `keys` command), listed in its `bin` field.
    const stray = files.filter(
      (f) => !/^package\/(LICENSE|README\.md|package\.json|dist\/.+|bin\/[^/]+\.mjs)$/.test(f),
    );
    if (stray.length > 0) throw new Error(`unexpected files: ${stray.join(", ")}`);
    const license = execFileSync("tar", ["-xzOf", tarballs[name], "package/LICENSE"], { encoding: "utf8" });
    if (license !== rootLicense) throw new Error("package/LICENSE differs from the repository's LICENSE");
    const manifest = JSON.parse(
      execFileSync("tar", ["-xzOf", tarballs[name], "package/package.json"], { encoding: "utf8" }),
    );
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!dep.startsWith("@instagram-connect/")) continue;
      const expected = `^${versions[dep.split("/")[1]]}`;
      if (range !== expected) throw new Error(`depends on ${dep}@${range}, expected ${expected}`);
    }
    for (const field of ["license", "repository", "homepage", "bugs", "keywords", "engines"]) {
      if (!manifest[field]) throw new Error(`published package.json has no "${field}"`);
    }
    if (JSON.stringify(manifest).includes("workspace:"))
      throw new Error("a workspace: range leaked into the tarball");
    return `${files.length} files`;
  });
}

// 3. Install into each fixture (a copy outside the repo, so nothing resolves from the workspace).
const overrides = Object.fromEntries(PACKAGES.map((n) => [`@instagram-connect/${n}`, `file:${tarballs[n]}`]));

async function prepare(fixture) {
  const dir = join(WORK, fixture);
  mkdirSync(dir, { recursive: true });
  // Fresh sources each run; node_modules, the pnpm lockfile and .next/cache stay as a cache.
  for (const entry of readdirSync(dir)) {
    if (!["node_modules", "pnpm-lock.yaml", ".next"].includes(entry))
      rmSync(join(dir, entry), { recursive: true, force: true });
  }
  cpSync(join(ROOT, "consumers", fixture), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  manifest.dependencies = { ...manifest.dependencies, ...overrides };
  // The repo's pinned pnpm (corepack would otherwise fetch the latest one for a folder without a pin).
  manifest.packageManager = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).packageManager;
  manifest.pnpm = { overrides, onlyBuiltDependencies: ["sharp", "unrs-resolver"] };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await run(
    "pnpm",
    [
      "install",
      "--ignore-workspace",
      "--no-frozen-lockfile",
      "--prefer-offline",
      "--config.confirmModulesPurge=false",
    ],
    { cwd: dir, env: { CI: "true" } },
  );
  return dir;
}

if (only.has("strict-ts")) {
  let dir;
  const installed = await step("strict-ts: install tarballs", async () => {
    dir = await prepare("strict-ts");
  });
  if (installed) {
    const compilers = [
      ["TypeScript 5.9", join(dir, "node_modules/typescript/bin/tsc")],
      ["TypeScript 7", join(ROOT, "node_modules/typescript/bin/tsc")],
    ];
    // TS1036 (the "use client" directive emitted into react's dist/index.d.ts) gets its own assertion
    // below, so the compiler matrix reports everything else and the directive fails exactly once.
    const ts1036 = /@instagram-connect\/react\/dist\/[^(:]*\.d\.ts(\(|:)\D*1\D*1\D*.*TS1036/;
    let sawTs1036 = false;
    for (const [label, tsc] of compilers) {
      for (const resolution of ["node16", "bundler"]) {
        await step(
          `strict-ts: ${label}, moduleResolution ${resolution}, strict, skipLibCheck false`,
          async () => {
            try {
              await run(process.execPath, [tsc, "-p", `tsconfig.${resolution}.json`, "--pretty", "false"], {
                cwd: dir,
              });
            } catch (error) {
              const errors = (error.output ?? "").split("\n").filter((line) => /error TS\d+/.test(line));
              if (errors.length === 0 || !errors.every((line) => ts1036.test(line))) throw error;
              sawTs1036 = true;
              return "clean apart from TS1036 (asserted separately below)";
            }
          },
        );
      }
    }
    await step(
      'strict-ts: TS1036: @instagram-connect/react\'s dist/index.d.ts holds no "use client" statement',
      async () => {
        const dts = execFileSync("tar", ["-xzOf", tarballs.react, "package/dist/index.d.ts"], {
          encoding: "utf8",
        });
        if (sawTs1036 || /^\s*["']use client["'];?/.test(dts)) {
          throw new Error(
            "react's dist/index.d.ts starts with \"use client\"; TypeScript with skipLibCheck: false fails with TS1036 (Statements are not allowed in ambient contexts). The fix belongs to packages/react's build (widget branch).",
          );
        }
      },
    );
    await step("strict-ts: client and types from Node ESM (run.mjs)", async () =>
      (await run(process.execPath, ["run.mjs"], { cwd: dir })).trim(),
    );
  }
}

if (only.has("next-app")) {
  let dir;
  const installed = await step("next-app: install tarballs", async () => {
    dir = await prepare("next-app");
  });
  if (installed) {
    await step("next-app: next build (App Router, React 19)", async () => {
      const output = await run(process.execPath, [join(dir, "node_modules/next/dist/bin/next"), "build"], {
        cwd: dir,
      });
      // The connect-session example (docs/connect-sessions-nextjs.md) is built too.
      const expected = [
        "/",
        "/server-only",
        "/accounts",
        "/api/instagram/session",
        "/api/instagram/connected",
      ];
      const routes = expected.filter((r) =>
        new RegExp(`[│├└┌]\\s+\\S?\\s*${r.replaceAll("/", "\\/")}(\\s|$)`, "m").test(output),
      );
      if (routes.length < expected.length)
        throw Object.assign(new Error(`next build did not list every route of ${expected.join(", ")}`), {
          output,
        });
      return `routes ${expected.join(", ")} built`;
    });
  }
}

finish();

function finish() {
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (values.keep) log(`work dir: ${WORK}`);
  if (failures.length > 0) {
    console.error(`[consumers] ${failures.length} failed in ${total} s: ${failures.join("; ")}`);
    process.exit(1);
  }
  log(`all consumer checks passed in ${total} s`);
  process.exit(0);
}
