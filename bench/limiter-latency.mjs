#!/usr/bin/env node
// Benchmark: what the relay's Durable Object rate limiter adds to a widget read.
//
// Starts the fake Instagram (in-process, bench/lib/fake-instagram.mjs) and, twice, the relay
// under `wrangler dev` (bench/lib/wrangler-dev.mjs) on free loopback ports: once with the `widget`
// family limited (a limit so high nothing is refused, so every request still makes its Durable
// Object round trip) and once with the family off (`"limit": 0`, the documented production way to
// disable a family, so no bench-only switch exists that could be left on in production). Each run
// connects one account through the real OAuth flow (bench/lib/connect-flow.mjs), then loads
// GET /v1/connections/me with its credential (a bounded number of concurrent requests for a fixed
// time) and records every latency.
// Prints p50/p99 and the ratio; writes bench/results/limiter-latency.json.
//
// Usage: node bench/limiter-latency.mjs [--seconds 10] [--concurrency 16]
import "../scripts/require-node.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { percentile } from "./lib/load.mjs";
import { RESULTS_DIR } from "./lib/paths.mjs";
import { freePort } from "./lib/ports.mjs";
import { startRelay } from "./lib/wrangler-dev.mjs";

// These load TypeScript (the fake Instagram) and so come after the Node version check.
const { connectThroughRelay } = await import("./lib/connect-flow.mjs");
const { startFake } = await import("./lib/fake-instagram.mjs");
const { relayVars } = await import("./parts/latency.mjs");

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith("--") ? [[arg.slice(2), all[i + 1]]] : [])),
);
const SECONDS = Number(args.seconds ?? 10);
const CONCURRENCY = Number(args.concurrency ?? 16);
const WARMUP_SECONDS = 2;
const SITE = "http://localhost:5173";
// stop() of every relay still running, so Ctrl-C ends their process groups too.
const running = new Set();

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
  const round = (n) => Math.round(n * 100) / 100;
  return {
    requests: latencies.length,
    rps: round(latencies.length / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p90Ms: round(percentile(latencies, 90)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(percentile(latencies, 100)),
    statuses,
  };
}

/** One relay with `widgetPolicy` and its own fake Instagram: connect, warm up, load, stop both. */
async function runRelay(label, widgetPolicy) {
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/v1/oauth/callback`;
  const fake = await startFake(redirectUri);
  let relay;
  try {
    // Only the widget family is set, so the other families keep their defaults.
    const vars = {
      ...relayVars(fake.url, fake.url, redirectUri),
      RATE_LIMITS: JSON.stringify({ widget: widgetPolicy }),
    };
    relay = await startRelay({ port, vars });
    running.add(relay.stop);
    const { handle } = await connectThroughRelay({ relayUrl: relay.url, site: SITE });
    const headers = { authorization: `Bearer ${handle.credential}`, origin: SITE };
    const target = `${relay.url}/v1/connections/me`;
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
    if (relay) {
      running.delete(relay.stop);
      await relay.stop();
    }
    await fake.close();
  }
}

async function main() {
  console.log(
    `GET /v1/connections/me, ${CONCURRENCY} concurrent, ${SECONDS} s per run (after ${WARMUP_SECONDS} s warm-up)`,
  );
  // A limit nothing reaches: every request still pays the limiter's Durable Object round trip.
  const limited = await runRelay("with limiter", { limit: 1_000_000, windowSeconds: 1, burst: 1_000_000 });
  const unlimited = await runRelay("without limiter", { limit: 0, windowSeconds: 60 });
  const ratio = {
    p50: Math.round((limited.p50Ms / unlimited.p50Ms) * 100) / 100,
    p99: Math.round((limited.p99Ms / unlimited.p99Ms) * 100) / 100,
  };
  console.log(`ratio with/without  p50 x${ratio.p50}  p99 x${ratio.p99}`);
  const out = join(RESULTS_DIR, "limiter-latency.json");
  mkdirSync(RESULTS_DIR, { recursive: true });
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
}

process.on("SIGINT", async () => {
  await Promise.all([...running].map((stop) => stop()));
  process.exit(130);
});

await main();
