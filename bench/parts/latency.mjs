// Relay latency under `wrangler dev` on loopback: the bare /health route is the baseline, measured
// in the same run as the connection read (limiter DO + KV + decrypt + credential check) and the
// OAuth callback (state DO + code exchange + long-lived upgrade + profile against the fake Instagram).
import { connectThroughRelay } from "../lib/connect-flow.mjs";
import { BENCH_CLIENT, startFake } from "../lib/fake-instagram.mjs";
import { DEFAULT_LOAD, runLoad, sampleSequential, summarize } from "../lib/load.mjs";
import { freePort } from "../lib/ports.mjs";
import { startRelay } from "../lib/wrangler-dev.mjs";

/** Goal (reported, not enforced): connection read p50 <= 1.5x the bare route's p50. */
export const READ_GOAL_RATIO = 1.5;

const SITE = "http://localhost:5173";
// High enough that the load is never refused, so the limiter's cost is measured, not its 429s.
const GENEROUS = { limit: 1_000_000, windowSeconds: 60, burst: 1_000_000 };

/** Relay vars pointing at the fake and the relay's own callback URL. */
export function relayVars(fakeUrl, redirectUri) {
  return {
    INSTAGRAM_CLIENT_ID: BENCH_CLIENT.id,
    INSTAGRAM_CLIENT_SECRET: BENCH_CLIENT.secret,
    INSTAGRAM_REDIRECT_URI: redirectUri,
    INSTAGRAM_AUTHORIZE_URL: `${fakeUrl}/oauth/authorize`,
    INSTAGRAM_API_BASE: fakeUrl,
    INSTAGRAM_GRAPH_BASE: fakeUrl,
    ALLOWED_ORIGINS: SITE,
    RATE_LIMITS: JSON.stringify({ oauth: GENEROUS, widget: GENEROUS, api: GENEROUS }),
  };
}

function loadRow(subject, result, baseline, goal) {
  return {
    subject,
    metric: "p50 latency",
    value: result.p50,
    unit: "ms",
    ratio: result.p50 / baseline.p50,
    extra: `p99 ${result.p99} ms, ${Math.round(result.requestsPerSecond)} req/s (${(result.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}x), non-2xx ${result.non2xx}, errors ${result.errors}`,
    ...(goal === undefined ? {} : { goal, met: result.p50 / baseline.p50 <= goal }),
  };
}

function sequentialRow(subject, summary, baseline) {
  return {
    subject,
    metric: "p50 latency (sequential)",
    value: Number(summary.p50.toFixed(2)),
    unit: "ms",
    ratio: summary.p50 / baseline.p50,
    extra: `p90 ${summary.p90.toFixed(2)} ms, n ${summary.n}`,
  };
}

/** Starts the fake and the relay, connects an account, measures, and stops both. */
export async function run({ durationSeconds = DEFAULT_LOAD.durationSeconds, flows = 40 } = {}) {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}/v1/oauth/callback`;
  const fake = await startFake(redirectUri);
  let relay;
  try {
    relay = await startRelay({ port, vars: relayVars(fake.url, redirectUri) });
    const { handle } = await connectThroughRelay({ relayUrl: relay.url, site: SITE });
    const health = `${relay.url}/health`;
    const me = `${relay.url}/v1/connections/me`;
    const auth = { Authorization: `Bearer ${handle.credential}` };
    const load = { connections: DEFAULT_LOAD.connections, durationSeconds };

    // Warm both paths (workerd compiles lazily; the limiter DO is created on first use).
    await runLoad(health, { ...load, durationSeconds: 2 });
    await runLoad(me, { ...load, headers: auth, durationSeconds: 2 });
    const bare = await runLoad(health, load);
    const read = await runLoad(me, { ...load, headers: auth });
    if (read.non2xx > 0) throw new Error(`connection read answered ${read.non2xx} non-2xx responses`);

    // The callback cannot be replayed (single-use state), so flows run one after another and the
    // baseline is sampled the same way.
    const healthSeq = summarize(
      await sampleSequential(flows, async () => {
        const response = await fetch(health);
        await response.body?.cancel();
      }),
    );
    const starts = [];
    const callbacks = [];
    for (let i = 0; i < flows; i++) {
      const { timings } = await connectThroughRelay({ relayUrl: relay.url, site: SITE });
      starts.push(timings.start);
      callbacks.push(timings.callback);
    }
    const start = summarize(starts);
    const callback = summarize(callbacks);

    return {
      part: "latency",
      baseline: `GET /health under the same load (${load.connections} connections, ${durationSeconds} s): p50 ${bare.p50} ms; sequential p50 ${healthSeq.p50.toFixed(2)} ms`,
      rows: [
        loadRow("GET /health (baseline)", bare, bare),
        loadRow("GET /v1/connections/me", read, bare, READ_GOAL_RATIO),
        sequentialRow("GET /health sequential (baseline)", healthSeq, healthSeq),
        sequentialRow("GET /v1/oauth/start", start, healthSeq),
        sequentialRow("GET /v1/oauth/callback (fake Instagram)", callback, healthSeq),
      ],
      raw: { load, bare, read, healthSeq, start, callback },
    };
  } finally {
    await relay?.stop();
    await fake.close();
  }
}
