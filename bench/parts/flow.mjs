// Issue 17 goal 6: the relay time of a whole connect flow (attempt issue -> start -> consent at the
// fake -> callback -> attempt poll), beyond the fake Instagram's own time, under `wrangler dev` on
// loopback. Interleaved with the `/health` baseline (A, B, A, B, ...; bench/lib/interleaved.mjs
// explains why): per repetition, /health for `--duration` s at concurrency 1, then a batch of
// sequential flows. Figure = median over repetitions of each batch's p50; spread = min-max.
import { loadavg } from "node:os";
import { connectThroughRelay } from "../lib/connect-flow.mjs";
import { startFake } from "../lib/fake-instagram.mjs";
import { closedLoop } from "../lib/interleaved.mjs";
import { percentile } from "../lib/load.mjs";
import { freePort } from "../lib/ports.mjs";
import { startTimingProxy } from "../lib/timing-proxy.mjs";
import { startRelay } from "../lib/wrangler-dev.mjs";
import { GOALS, relayVars } from "./latency.mjs";

const SITE = "http://localhost:5173";
const median = (values) => percentile(values, 50);
const fmt = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const spread = (values) => `${fmt(Math.min(...values))}-${fmt(Math.max(...values))}`;

/** One connect flow: its relay time per step (ms) with the fake's time taken out of the callback. */
async function oneFlow(relayUrl, proxy) {
  const before = proxy.busyMs();
  const { timings } = await connectThroughRelay({ relayUrl, site: SITE });
  const fake = proxy.busyMs() - before;
  const steps = { ...timings, callback: timings.callback - fake };
  return { relay: steps.issue + steps.start + steps.callback + steps.poll, fake, steps };
}

/** Starts the fake, the proxy and the relay; measures `repetitions` interleaved batches; stops all. */
export async function run({ durationSeconds = 2, flows = 20, repetitions = 5 } = {}) {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}/v1/oauth/callback`;
  const fake = await startFake(redirectUri);
  const proxy = await startTimingProxy(fake.url);
  let relay;
  try {
    relay = await startRelay({ port, vars: relayVars(fake.url, proxy.url, redirectUri) });
    // Warm the paths once (workerd compiles lazily; the first Durable Objects are created).
    for (let i = 0; i < 3; i++) await oneFlow(relay.url, proxy);
    const perBatch = Math.max(5, Math.ceil(flows / repetitions));
    const reps = [];
    const loadBefore = loadavg()[0];
    for (let rep = 0; rep < repetitions; rep++) {
      const health = await closedLoop(() => ({ url: `${relay.url}/health`, init: {} }), {
        concurrency: 1,
        durationMs: durationSeconds * 1000,
      });
      const batch = [];
      for (let i = 0; i < perBatch; i++) batch.push(await oneFlow(relay.url, proxy));
      const stepP50 = (name) => median(batch.map((flow) => flow.steps[name]));
      reps.push({
        healthP50: median(health.samples),
        relayP50: median(batch.map((flow) => flow.relay)),
        fakeP50: median(batch.map((flow) => flow.fake)),
        steps: Object.fromEntries(
          ["issue", "start", "callback", "poll"].map((name) => [name, stepP50(name)]),
        ),
      });
    }
    const loadAfter = loadavg()[0];
    const relayP50s = reps.map((r) => r.relayP50);
    const value = median(relayP50s);
    const steps = ["issue", "start", "callback", "poll"]
      .map((name) => `${name} ${fmt(median(reps.map((r) => r.steps[name])))}`)
      .join(", ");
    return {
      part: "flow",
      baseline: `GET /health @c1 in the same repetition (interleaved A,B x ${repetitions}: /health ${durationSeconds} s, then ${perBatch} sequential flows); load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
      rows: [
        {
          subject: "connect flow relay time (issue+start+callback+poll - fake)",
          metric: "p50 (median of reps)",
          value: Number(value.toFixed(2)),
          unit: "ms",
          ratio: value / median(reps.map((r) => r.healthP50)),
          spread: `${spread(relayP50s)} ms over ${repetitions} reps`,
          extra: `spread ${spread(relayP50s)} ms over ${repetitions} reps, n ${perBatch * repetitions}; steps (median p50 ms): ${steps}; fake's own p50 ${fmt(median(reps.map((r) => r.fakeP50)))} ms; /health p50 ${fmt(median(reps.map((r) => r.healthP50)))} ms (ratio is to it)`,
          goalMs: GOALS.flowRelayMs,
          met: value <= GOALS.flowRelayMs,
          issueGoal: 6,
        },
      ],
      raw: { reps, loadBefore, loadAfter },
    };
  } finally {
    await relay?.stop();
    await proxy.close();
    await fake.close();
  }
}
