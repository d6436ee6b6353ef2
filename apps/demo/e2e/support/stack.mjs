// The e2e stack: fake Instagram, the relay under `wrangler dev` (fresh local state, its own secrets)
// and the built demo under `vite preview`, each on a free port picked at start, so the suite runs
// while `pnpm dev` holds 8787/8788/5173. Each runs in its own process group so that stopping it also
// stops its children (workerd, esbuild). The relay's redirect URI and allowlists, the fake's accepted
// callback and the demo's relay URL all follow the chosen ports (scripts/dev-ports.mjs).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  demoApiEnv,
  demoEnv,
  fakeEnv,
  QUIET_WRANGLER_ENV,
  relayVars,
  urlsFor,
} from "../../../../scripts/dev-ports.mjs";
import { freePort } from "../../../../scripts/port-taken.mjs";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const demoDir = join(root, "apps/demo");
const relayDir = join(root, "apps/relay");
/** Where the run's logs and screenshots go (git-ignored). */
export const resultsDir = join(demoDir, "test-results");

/** Where global setup hands the chosen URLs to the test files (node --test runs each in its own process). */
const URLS_ENV = "INSTAGRAM_CONNECT_E2E_URLS";

/**
 * The URLs the tests use: `{ fake, relay, demo, api }`, plus `relayState`, the relay's local state
 * directory (`--persist-to`, where tests read the R2 bucket) and `adminSecret`, this run's relay
 * ADMIN_SECRET (tests make their own API keys). Filled by `startStack()` in global setup and, in
 * every test file's process, from the environment global setup leaves behind.
 */
export const URLS = { fake: "", relay: "", demo: "", api: "", relayState: "", adminSecret: "" };
if (process.env[URLS_ENV]) Object.assign(URLS, JSON.parse(process.env[URLS_ENV]));

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 5_000;

function run(name, command, args, options) {
  const log = createWriteStream(join(resultsDir, "logs", `${name}.log`));
  const child = spawn(command, args, {
    ...options,
    env: { ...process.env, ...options.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const service = { name, child, logPath: join(resultsDir, "logs", `${name}.log`), output: "" };
  for (const stream of [child.stdout, child.stderr]) {
    stream.pipe(log);
    stream.on("data", (chunk) => {
      service.output = (service.output + chunk).slice(-20_000);
    });
  }
  return service;
}

function runToEnd(name, command, args, options, timeoutMs) {
  const service = run(name, command, args, options);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(service.child, "SIGKILL");
      reject(new Error(`${name} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    service.child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${name} failed with exit code ${code}:\n${tail(service.output)}`));
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function tail(output, lines = 40) {
  return output.trimEnd().split("\n").slice(-lines).join("\n") || "(no output)";
}

async function waitReady(service, url, deadline) {
  let exited = false;
  service.child.once("exit", () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.name} exited before it was ready:\n${tail(service.output)}`);
    // wrangler dev keeps running after a failed build (it waits for a fix): give up at once.
    if (/Build failed/.test(service.output))
      throw new Error(`${service.name} failed to build:\n${tail(service.output)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${service.name} not ready at ${url} after ${READY_TIMEOUT_MS / 1000} s:\n${tail(service.output)}`,
  );
}

/** Stops every service: SIGTERM to each process group, SIGKILL to whatever outlives the grace period. */
export async function stopServices(services) {
  await Promise.all(
    services.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            killGroup(child, "SIGKILL");
            resolve();
          }, STOP_TIMEOUT_MS);
          child.once("exit", () => {
            clearTimeout(timer);
            // Children of the group (workerd) may outlive the leader: make sure they go too.
            killGroup(child, "SIGKILL");
            resolve();
          });
          killGroup(child, "SIGTERM");
        }),
    ),
  );
}

/** Free ports for the four services and the relay's inspector, all different. */
async function pickPorts() {
  const taken = new Set();
  const pick = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  return {
    fake: await pick(),
    relay: await pick(),
    demo: await pick(),
    api: await pick(),
    inspector: await pick(),
  };
}

/**
 * Picks free ports, builds the demo against them, starts the four services and waits until each
 * answers; sets `URLS` (here and, through the environment, for the test files). Throws (after
 * stopping what it started) when a service fails.
 */
export async function startStack() {
  mkdirSync(join(resultsDir, "logs"), { recursive: true });
  const ports = await pickPorts();
  // Fresh relay state and secrets for every run, independent of a developer's .dev.vars
  // (wrangler reads no .dev.vars when --env-file is given).
  const state = mkdtempSync(join(tmpdir(), "ic-e2e-"));
  const relayState = join(state, "wrangler");
  const adminSecret = `e2e-admin-${randomBytes(24).toString("base64url")}`;
  const urls = { ...urlsFor(ports), relayState, adminSecret };
  Object.assign(URLS, urls);
  process.env[URLS_ENV] = JSON.stringify(urls);

  await runToEnd(
    "demo-build",
    process.execPath,
    [join(demoDir, "node_modules/vite/bin/vite.js"), "build"],
    { cwd: demoDir, env: demoEnv(urls) },
    60_000,
  ).catch((error) => {
    rmSync(state, { recursive: true, force: true });
    throw error;
  });

  const envFile = join(state, "relay.env");
  writeFileSync(
    envFile,
    [
      "INSTAGRAM_CLIENT_SECRET=fake-client-secret",
      `TOKEN_ENCRYPTION_KEYS=e2e1:${randomBytes(32).toString("base64")}`,
      // Every test connects at least once from one IP: a burst of 200 consent-flow requests is far
      // more than the suite spends. Refilling slowly (one per 12 s) lets the rate-limited test
      // (widget-states) exhaust its own client's budget in ~200 requests and stay refused.
      `RATE_LIMITS='{"oauth":{"limit":300,"windowSeconds":3600,"burst":200}}'`,
      // Short read caches, so the time machine's token expiry shows within seconds (time-machine.test.mjs).
      "PROFILE_CACHE_SECONDS=5",
      "MEDIA_CACHE_SECONDS=5",
      // Redirect URI, Instagram endpoints and allowlists for this run's ports.
      ...Object.entries(relayVars(urls)).map(([name, value]) => `${name}=${value}`),
      "",
    ].join("\n"),
  );

  const services = [];
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    services.push(
      run("fake-instagram", process.execPath, ["src/server.ts"], {
        cwd: join(root, "packages/fake-instagram"),
        env: fakeEnv(ports, urls),
      }),
    );
    services.push(
      run(
        "relay",
        process.execPath,
        [
          join(relayDir, "node_modules/wrangler/bin/wrangler.js"),
          "dev",
          `--port=${ports.relay}`,
          `--inspector-port=${ports.inspector}`,
          "--ip=localhost",
          "--local",
          `--persist-to=${relayState}`,
          `--env-file=${envFile}`,
          // Optional secrets are not read from --env-file (only `secrets.required` and declared vars
          // are): the admin route, through which the demo's backend creates its API key, and signed
          // connect receipts, which that backend verifies.
          "--var",
          `ADMIN_SECRET:${adminSecret}`,
          "--var",
          `RECEIPT_SIGNING_KEYS:e2e1:${randomBytes(32).toString("base64")}`,
          // The cron route (/__scheduled) for the demo's time machine.
          "--test-scheduled",
          "--show-interactive-dev-session=false",
        ],
        { cwd: relayDir, env: { ...QUIET_WRANGLER_ENV, CI: "true" } },
      ),
    );
    services.push(
      run(
        "demo",
        process.execPath,
        [join(demoDir, "node_modules/vite/bin/vite.js"), "preview", `--port=${ports.demo}`, "--strictPort"],
        { cwd: demoDir, env: demoEnv(urls) },
      ),
    );
    // The site's backend waits for the relay itself (it creates its API key there at start).
    services.push(
      run("demo-api", process.execPath, ["server/main.ts"], {
        cwd: demoDir,
        env: demoApiEnv(ports, urls, adminSecret),
      }),
    );
    await Promise.all([
      waitReady(services[0], `${URLS.fake}/me`, deadline),
      waitReady(services[1], `${URLS.relay}/health`, deadline),
      waitReady(services[2], `${URLS.demo}/`, deadline),
      waitReady(services[3], `${URLS.api}/demo-api/me`, deadline),
    ]);
  } catch (error) {
    await stopServices(services);
    rmSync(state, { recursive: true, force: true });
    throw error;
  }

  return {
    services,
    stop: async () => {
      await stopServices(services);
      rmSync(state, { recursive: true, force: true });
    },
  };
}
