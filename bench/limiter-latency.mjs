#!/usr/bin/env node
// Benchmark: what the relay's Durable Object rate limiter adds to a widget read.
//
// Starts the fake Instagram (node packages/fake-instagram/src/server.ts) and, twice, the relay
// under `wrangler dev` on free loopback ports: once with the `widget` family limited (a limit so
// high nothing is refused, so every request still makes its Durable Object round trip) and once
// with the family off (`"limit": 0`, the documented production way to disable a family, so no
// bench-only switch exists that could be left on in production). Each run connects one account
// through the real OAuth flow, then loads GET /v1/connections/me with its credential (a bounded
// number of concurrent requests for a fixed time) and records every latency.
// Prints p50/p99 and the ratio; writes bench/results/limiter-latency.json.
//
// Usage: node bench/limiter-latency.mjs [--seconds 10] [--concurrency 16]
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const relayDir = join(root, "apps/relay");
const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
);
const SECONDS = Number(args.seconds ?? 10);
const CONCURRENCY = Number(args.concurrency ?? 16);
const WARMUP_SECONDS = 2;
const SITE = "http://localhost:5173";
const CLIENT_SECRET = "fake-client-secret"; // the fake's dev default; nothing real
const children = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function start(name, command, commandArgs, options) {
  const child = spawn(command, commandArgs, {
    ...options,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.add(child);
  let log = "";
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (chunk) => (log = (log + chunk).slice(-4000)));
  child.on("exit", () => children.delete(child));
  return { child, name, log: () => log };
}

async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once("exit", resolve));
  try {
    process.kill(-proc.child.pid, "SIGTERM"); // the process group we started (wrangler + workerd)
  } catch {}
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    try {
      process.kill(-proc.child.pid, "SIGKILL");
    } catch {}
  }
}

async function waitFor(url, proc, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.log()}`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${proc.log()}`);
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

/** Runs the popup flow against the relay and the fake; returns the widget credential. */
async function connect(relay, fake, redirectUri) {
  const verifier = b64url(randomBytes(32));
  const query = new URLSearchParams({
    origin: SITE,
    mode: "popup",
    attemptId: b64url(randomBytes(16)),
    challenge: b64url(createHash("sha256").update(verifier).digest()),
  });
  const start = await fetch(`${relay}/v1/oauth/start?${query}`, { redirect: "manual" });
  const location = start.headers.get("location");
  const cookie = (start.headers.get("set-cookie") ?? "").split(";")[0];
  if (start.status !== 302 || !location)
    throw new Error(`start answered ${start.status}: ${await start.text()}`);
  const authorize = new URL(location);
  const approve = await fetch(`${fake}/__fake/approve`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      redirectUri,
      scope: authorize.searchParams.get("scope"),
      state: authorize.searchParams.get("state"),
    }),
  });
  const { url, error } = await approve.json();
  if (!url) throw new Error(`fake approve failed: ${JSON.stringify(error)}`);
  const callback = new URL(url);
  const page = await fetch(`${relay}${callback.pathname}${callback.search}`, { headers: { cookie } });
  const match = /var m=(\{.*?\}),o=/s.exec(await page.text());
  const message = match ? JSON.parse(match[1]) : null;
  if (!message?.result?.ok)
    throw new Error(`callback failed: ${JSON.stringify(message?.result ?? page.status)}`);
  return message.result.handle.credential;
}

/** Bounded load: CONCURRENCY loops, each one request at a time, for `seconds`. */
async function load(url, headers, seconds) {
  const latencies = [];
  const statuses = {};
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, statuses };
}

function summarise({ latencies, statuses }, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  const round = (n) => Math.round(n * 100) / 100;
  return {
    requests: sorted.length,
    rps: round(sorted.length / seconds),
    p50Ms: round(at(0.5)),
    p90Ms: round(at(0.9)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    statuses,
  };
}

async function runRelay(label, port, widgetPolicy, fakeUrl) {
  const relay = `http://127.0.0.1:${port}`;
  const redirectUri = `${relay}/v1/oauth/callback`;
  const work = mkdtempSync(join(tmpdir(), "ic-bench-"));
  const envFile = join(work, "bench.env");
  // Secrets for a throwaway local run only (fresh key per run); vars point the relay at the fake.
  const vars = {
    INSTAGRAM_CLIENT_SECRET: CLIENT_SECRET,
    TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
    INSTAGRAM_REDIRECT_URI: redirectUri,
    INSTAGRAM_AUTHORIZE_URL: `${fakeUrl}/oauth/authorize`,
    INSTAGRAM_API_BASE: fakeUrl,
    INSTAGRAM_GRAPH_BASE: fakeUrl,
    ALLOWED_ORIGINS: SITE,
    RATE_LIMITS: JSON.stringify({ widget: widgetPolicy }),
  };
  writeFileSync(
    envFile,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n")}\n`,
  );
  const proc = start(
    `relay (${label})`,
    "pnpm",
    [
      "exec",
      "wrangler",
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--env-file",
      envFile,
      "--persist-to",
      join(work, "state"),
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
    ],
    { cwd: relayDir, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } },
  );
  try {
    await waitFor(`${relay}/health`, proc);
    const credential = await connect(relay, fakeUrl, redirectUri);
    const headers = { authorization: `Bearer ${credential}`, origin: SITE };
    const target = `${relay}/v1/connections/me`;
    const probe = await fetch(target, { headers });
    if (probe.status !== 200)
      throw new Error(`GET /v1/connections/me answered ${probe.status}: ${await probe.text()}`);
    await load(target, headers, WARMUP_SECONDS);
    const result = summarise(await load(target, headers, SECONDS), SECONDS);
    console.log(
      `${label.padEnd(16)} p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  ${result.rps} req/s  ${JSON.stringify(result.statuses)}`,
    );
    return result;
  } finally {
    await stop(proc);
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const [fakePort, limitedPort, unlimitedPort] = [await freePort(), await freePort(), await freePort()];
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  // The fake only redirects to registered redirect URIs: register both relays' callbacks.
  const redirectUris = [limitedPort, unlimitedPort].map((p) => `http://127.0.0.1:${p}/v1/oauth/callback`);
  const fake = start(
    "fake-instagram",
    process.execPath,
    [join(root, "packages/fake-instagram/src/server.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(fakePort),
        FAKE_IG_CLIENT_SECRET: CLIENT_SECRET,
        FAKE_IG_REDIRECT_URIS: redirectUris.join(","),
      },
    },
  );
  try {
    await waitFor(`${fakeUrl}/__fake/users`, fake);
    console.log(
      `GET /v1/connections/me, ${CONCURRENCY} concurrent, ${SECONDS} s per run (after ${WARMUP_SECONDS} s warm-up)`,
    );
    // A limit nothing reaches: every request still pays the limiter's Durable Object round trip.
    const limited = await runRelay(
      "with limiter",
      limitedPort,
      { limit: 1_000_000, windowSeconds: 1, burst: 1_000_000 },
      fakeUrl,
    );
    const unlimited = await runRelay(
      "without limiter",
      unlimitedPort,
      { limit: 0, windowSeconds: 60 },
      fakeUrl,
    );
    const ratio = {
      p50: Math.round((limited.p50Ms / unlimited.p50Ms) * 100) / 100,
      p99: Math.round((limited.p99Ms / unlimited.p99Ms) * 100) / 100,
    };
    console.log(`ratio with/without  p50 x${ratio.p50}  p99 x${ratio.p99}`);
    const out = join(root, "bench/results/limiter-latency.json");
    mkdirSync(join(root, "bench/results"), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          route: "GET /v1/connections/me",
          concurrency: CONCURRENCY,
          seconds: SECONDS,
          node: process.version,
          // Latency on a busy machine is noisy: keep the load next to the numbers.
          loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
          date: new Date().toISOString(),
          withLimiter: limited,
          withoutLimiter: unlimited,
          ratio,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${out}`);
  } finally {
    await stop(fake);
  }
}

process.on("SIGINT", async () => {
  await Promise.all([...children].map((child) => stop({ child, name: "child", log: () => "" })));
  process.exit(130);
});

await main();
