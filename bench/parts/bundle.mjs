// Relay bundle: what `wrangler deploy` would upload (dry run, config as committed), gzip-compressed,
// against a bare Hono worker bundled by the same wrangler in the same run. Then, informational:
// the smallest Worker that could hold each route family (for a service-binding split, goal 5).
import { execFile } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { RELAY_DIR, WRANGLER_BIN } from "../lib/paths.mjs";

/**
 * Hard budget for the relay's upload, bytes of gzip (exit 1 over it): a regression guard just
 * above the measured 74.2 KiB (keep_names off, every feature of the round), so new code cannot grow the
 * upload unnoticed. Issue 17's goal is 40 KiB; it is reported (met/missed), not met.
 */
export const BUNDLE_BUDGET = 78 * 1024;
/** Issue 17 goal 5, as wrangler reports it ("Total Upload: ... / gzip: ..."). */
export const BUNDLE_GOAL = 40 * 1024;

const run = promisify(execFile);

// Inside apps/relay (git-ignored .wrangler/) so `hono` resolves from the relay's own node_modules.
const BASELINE_DIR = join(RELAY_DIR, ".wrangler", "bench-baseline");
const BASELINE_SOURCE = `import { Hono } from "hono";
const app = new Hono();
app.get("/health", (c) => c.json({ ok: true }));
export default app;
`;

// The relay's wrangler.jsonc, read once: its compatibility date and keep_names setting.
const RELAY_WRANGLER = readFileSync(join(RELAY_DIR, "wrangler.jsonc"), "utf8");

function compatibilityDate() {
  const match = /"compatibility_date":\s*"([^"]+)"/.exec(RELAY_WRANGLER);
  if (!match) throw new Error("no compatibility_date in apps/relay/wrangler.jsonc");
  return match[1];
}

/**
 * Sizes of the modules wrangler would upload from `outdir` (source maps and README excluded), and
 * wrangler's own "Total Upload: <raw> KiB / gzip: <gzip> KiB" figure, which is what the goal uses.
 */
function uploadSize(outdir, stdout) {
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(outdir)) {
    if (name.endsWith(".map") || name === "README.md") continue;
    const bytes = readFileSync(join(outdir, name));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const reported = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  const wranglerGzip = reported ? Math.round(Number(reported[2]) * 1024) : null;
  return { raw, gzip, wranglerGzip };
}

async function dryRun(extraArgs) {
  const outdir = mkdtempSync(join(tmpdir(), "ic-bench-bundle-"));
  try {
    const { stdout } = await run(WRANGLER_BIN, ["deploy", "--dry-run", "--outdir", outdir, ...extraArgs], {
      cwd: RELAY_DIR,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return uploadSize(outdir, stdout);
  } catch (error) {
    const detail = `${error.stderr ?? ""}`.trim().split("\n").slice(0, 12).join("\n");
    throw new Error(`wrangler deploy --dry-run ${extraArgs.join(" ")} failed:\n${detail}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// The esbuild wrangler itself depends on (apps/relay -> wrangler -> esbuild), so sizes match its own.
const esbuild = createRequire(
  join(realpathSync(join(RELAY_DIR, "node_modules", "wrangler")), "package.json"),
)("esbuild");
const RELAY_SRC = join(RELAY_DIR, "src");
// `"keep_names": false` in apps/relay/wrangler.jsonc turns esbuild's keepNames off (default on).
const KEEP_NAMES = !/^\s*"keep_names"\s*:\s*false/m.test(RELAY_WRANGLER);
const LIBRARIES = ["hono", "zod", "jose"];

/**
 * Min and gzip -9 bytes of `source` (an entry resolved from apps/relay/src, never written to disk)
 * or of `file`, bundled with the esbuild options `wrangler deploy` uses for this worker
 * (wrangler-dist/cli.js bundleWorker: es2024, esm, workerd conditions, minify; keepNames as the
 * worker's `keep_names` says, wrangler's default true).
 */
async function bundleBytes({ source, file }) {
  const { outputFiles, metafile } = await esbuild.build({
    ...(file
      ? { entryPoints: [file] }
      : { stdin: { contents: source, resolveDir: RELAY_SRC, loader: "ts" } }),
    absWorkingDir: RELAY_DIR,
    bundle: true,
    write: false,
    format: "esm",
    target: "es2024",
    supported: { "import-source": true, using: true },
    loader: { ".js": "jsx", ".mjs": "jsx", ".cjs": "jsx" },
    minify: true,
    keepNames: KEEP_NAMES,
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*", "__STATIC_CONTENT_MANIFEST"],
    define: { "process.env.NODE_ENV": '"production"', "navigator.userAgent": '"Cloudflare-Workers"' },
    logLevel: "silent",
    metafile: true,
  });
  const code = outputFiles[0].contents;
  // Minified bytes each library contributes (esbuild's metafile), to show what a split cannot shed.
  const libraries = Object.fromEntries(LIBRARIES.map((name) => [name, 0]));
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(metafile.outputs)[0].inputs)) {
    const library = LIBRARIES.find((name) => input.includes(`/node_modules/${name}/`));
    if (library) libraries[library] += bytesInOutput;
  }
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, libraries };
}

/** `import { name } from "./path"` for each name, as app.ts and index.ts write them. */
const importsOf = (source) =>
  new Map([...source.matchAll(/import \{ (\w+) \} from "(\.\/[^"]+)";/g)].map((m) => [m[1], m[2]]));

/**
 * An entry with createApp's shared part (security headers, request log, error / 404 / 405
 * answers, /health, config on /v1/*) and only the given families, exporting fetch like index.ts.
 */
function familyEntry(families) {
  return `import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import { configMiddleware } from "./http/config-middleware.ts";
import { methodNotAllowed, onError, onNotFound } from "./http/error-handlers.ts";
import { requestLogger } from "./http/request-logger.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { bindings } from "./runtime.ts";
${families.map(({ name, path }) => `import { ${name} } from "${path}";`).join("\n")}
const app = new Hono();
app.use(securityHeaders);
app.use(requestLogger);
app.onError(onError);
app.notFound(onNotFound);
app.use(methodNotAllowed(() => app.routes));
app.get(ROUTES.health, (c) => c.json({ ok: true, service: "instagram-connect-relay" }));
app.use("/v1/*", configMiddleware);
${families.map(({ name }) => `app.route("/", ${name});`).join("\n")}
export default { fetch: (request, env, ctx) => app.fetch(request, bindings(env), ctx) };
`;
}

/**
 * One Worker per route family mounted in app.ts (plus none, all, the Durable Object classes alone
 * and src/index.ts as deployed): min and gzip bytes and the share of the 40 KiB goal. Shows whether
 * a service-binding split can bring every Worker under the goal; it changes no verdict.
 */
async function splitTable() {
  const appSource = readFileSync(join(RELAY_SRC, "app.ts"), "utf8");
  const imported = importsOf(appSource);
  const families = [...appSource.matchAll(/app\.route\("\/", (\w+)\)/g)].map(([, name]) => ({
    name,
    path: imported.get(name),
  }));
  const classExports = [
    ...readFileSync(join(RELAY_SRC, "index.ts"), "utf8").matchAll(/export \{ \w+ \} from "[^"]+";/g),
  ].map((m) => m[0]);
  const entries = [
    ["no family (shared middleware, /health)", { source: familyEntry([]) }],
    ...families.map((family) => [
      `${family.name} (${family.path.slice(2)})`,
      { source: familyEntry([family]) },
    ]),
    ["all families (createApp's fetch only)", { source: familyEntry(families) }],
    [`the ${classExports.length} Durable Object classes only`, { source: classExports.join("\n") }],
    ["src/index.ts as deployed (cross-check)", { file: join(RELAY_SRC, "index.ts") }],
  ];
  const rows = [];
  for (const [worker, entry] of entries) {
    const { min, gzip, libraries } = await bundleBytes(entry);
    rows.push({ worker, min, gzip, shareOfGoal: Number((gzip / BUNDLE_GOAL).toFixed(3)), libraries });
  }
  return rows;
}

/** Bundles the relay and the baseline; fails the budget over BUNDLE_BUDGET bytes gzip. */
export async function runBundle() {
  mkdirSync(BASELINE_DIR, { recursive: true });
  writeFileSync(join(BASELINE_DIR, "index.ts"), BASELINE_SOURCE);
  writeFileSync(
    join(BASELINE_DIR, "wrangler.jsonc"),
    JSON.stringify({ name: "bench-baseline", main: "index.ts", compatibility_date: compatibilityDate() }),
  );
  // Minified like the relay, so the ratio compares code, not whitespace.
  const baseline = await dryRun(["--config", join(BASELINE_DIR, "wrangler.jsonc"), "--minify"]);
  const relay = await dryRun([]);
  rmSync(BASELINE_DIR, { recursive: true, force: true });
  // Informational: a failure here is shown in its table, never hides the budget and the goal.
  const split = await splitTable().catch((error) => [{ worker: `could not build: ${error.message}` }]);
  const row = (subject, sizes, budget) => ({
    subject,
    metric: "upload gzip",
    value: sizes.gzip,
    unit: "B",
    ratio: sizes.gzip / baseline.gzip,
    extra: `raw ${sizes.raw} B`,
    ...(budget === undefined ? {} : { budget, pass: sizes.gzip <= budget }),
  });
  return {
    part: "bundle",
    baseline: `bare Hono worker (one route, minified) via the same wrangler dry run, gzip ${baseline.gzip} B`,
    rows: [
      row("relay (wrangler.jsonc as committed)", relay, BUNDLE_BUDGET),
      {
        subject: "relay upload as wrangler reports it (Total Upload gzip)",
        metric: "upload gzip",
        value: relay.wranglerGzip ?? relay.gzip,
        unit: "B",
        ratio: (relay.wranglerGzip ?? relay.gzip) / BUNDLE_GOAL,
        extra: `${((relay.wranglerGzip ?? relay.gzip) / 1024).toFixed(2)} KiB${relay.wranglerGzip === null ? " (wrangler printed no total: own gzip -9)" : ""}; ratio is to the goal; static assets (openapi.json) are uploaded separately and not counted`,
        goal: `<= ${BUNDLE_GOAL} B gzip`,
        met: (relay.wranglerGzip ?? relay.gzip) <= BUNDLE_GOAL,
        issueGoal: 5,
      },
      row("bare Hono worker (baseline)", baseline),
    ],
    tables: [
      {
        title: `smallest Worker holding one route family (informational; esbuild ${esbuild.version} as wrangler, gzip -9; goal ${BUNDLE_GOAL} B)`,
        columns: ["worker", "min B", "gzip B", "of 40 KiB", `min B of ${LIBRARIES.join(" / ")}`],
        rows: split.map((r) =>
          r.libraries
            ? [
                r.worker,
                r.min,
                r.gzip,
                `${(r.shareOfGoal * 100).toFixed(0)}%`,
                Object.values(r.libraries).join(" / "),
              ]
            : [r.worker, "", "", "", ""],
        ),
      },
    ],
    raw: { relay, baseline, split },
  };
}

export { runBundle as run };
