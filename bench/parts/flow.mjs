// Issue 17 goal 6: the relay time of a whole connect flow (attempt issue -> start -> consent at the
// fake -> callback -> attempt poll), beyond the fake Instagram's own time, under `wrangler dev` on
// loopback. Interleaved with the `/health` baseline (A, B, A, B, ...; bench/lib/interleaved.mjs
// explains why): per repetition, /health for `--duration` s at concurrency 1, then a batch of
// sequential flows. Figure = median over repetitions of each batch's p50; spread = min-max.
// Two figures: raw (step wall times - the fake's time) and net of transport, the goal's figure:
// raw - RELAY_REQUESTS x that repetition's /health p50, because under `wrangler dev` every request
// also pays the dev server's proxy and the loopback round trip (~9 ms each), which is not relay
// work. /health's own relay work (the shared middleware) is taken out too, so net slightly flatters.
import { loadavg } from "node:os";
import { connectThroughRelay } from "../lib/connect-flow.mjs";
import { closedLoop } from "../lib/interleaved.mjs";
import { percentile } from "../lib/load.mjs";
import { GOALS, withRelayStack } from "./latency.mjs";

const SITE = "http://localhost:5173";
const STEPS = ["issue", "start", "callback", "poll"];
/** Requests the relay answers in one flow: one per step. */
const RELAY_REQUESTS = STEPS.length;
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
export function run({ durationSeconds = 2, flows = 20, repetitions = 5 } = {}) {
  return withRelayStack(async ({ relay, proxy }) => {
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
      const healthP50 = median(health.samples);
      const stepP50 = (name) => median(batch.map((flow) => flow.steps[name]));
      const relayP50 = median(batch.map((flow) => flow.relay));
      reps.push({
        healthP50,
        relayP50,
        // Every flow of the batch pays the same transport, so net p50 = raw p50 - the transport.
        netP50: relayP50 - RELAY_REQUESTS * healthP50,
        fakeP50: median(batch.map((flow) => flow.fake)),
        steps: Object.fromEntries(STEPS.map((name) => [name, stepP50(name)])),
        netSteps: Object.fromEntries(STEPS.map((name) => [name, stepP50(name) - healthP50])),
      });
    }
    const loadAfter = loadavg()[0];
    const healthP50 = median(reps.map((r) => r.healthP50));
    const stepMedians = (key) =>
      STEPS.map((name) => `${name} ${fmt(median(reps.map((r) => r[key][name])))}`).join(", ");
    const common = `n ${perBatch * repetitions}; fake's own p50 ${fmt(median(reps.map((r) => r.fakeP50)))} ms; /health p50 ${fmt(healthP50)} ms (ratio is to it)`;
    const figure = (values) => ({
      metric: "p50 (median of reps)",
      value: Number(median(values).toFixed(2)),
      unit: "ms",
      ratio: median(values) / healthP50,
      spread: `${spread(values)} ms over ${repetitions} reps`,
    });
    const raw = figure(reps.map((r) => r.relayP50));
    const net = figure(reps.map((r) => r.netP50));
    return {
      part: "flow",
      baseline: `GET /health @c1 in the same repetition (interleaved A,B x ${repetitions}: /health ${durationSeconds} s, then ${perBatch} sequential flows); load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
      method: `net = per repetition, p50 of (issue+start+callback+poll wall - fake's time) - ${RELAY_REQUESTS} relay requests x that repetition's /health p50 @c1 (dev-server transport); goal 6 uses net`,
      rows: [
        {
          subject: "connect flow relay time, raw (issue+start+callback+poll - fake)",
          ...raw,
          extra: `spread ${raw.spread}; steps (median p50 ms): ${stepMedians("steps")}; ${common}`,
        },
        {
          subject: `connect flow relay time, net of transport (raw - ${RELAY_REQUESTS} x /health p50)`,
          ...net,
          extra: `spread ${net.spread}; steps net (median of p50 - /health p50, ms): ${stepMedians("netSteps")}; ${common}`,
          goalMs: GOALS.flowRelayMs,
          met: net.value <= GOALS.flowRelayMs,
          issueGoal: 6,
        },
      ],
      raw: { reps, loadBefore, loadAfter },
    };
  });
}
