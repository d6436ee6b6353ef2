// Relay latency under `wrangler dev` on loopback, interleaved (bench/lib/interleaved.mjs): the
// bare /health route is the baseline of every repetition. Subjects: the widget reads (limiter on,
// enforcing a real per-credential policy), an app API read, OAuth start. Connect flows (goal 6)
// are measured by parts/flow.mjs.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { connectThroughRelay, issueAttempts, navigate, siteNavigation } from "../lib/connect-flow.mjs";
import { BENCH_CLIENT, startFake } from "../lib/fake-instagram.mjs";
import { interleaved } from "../lib/interleaved.mjs";
import { RELAY_DIR } from "../lib/paths.mjs";
import { freePort } from "../lib/ports.mjs";
import { startTimingProxy } from "../lib/timing-proxy.mjs";
import { startRelay } from "../lib/wrangler-dev.mjs";

/** Issue 17 goals (reported, never enforced): p50 ratio to /health in the same repetition. */
export const GOALS = { widgetRead: 1.2, apiRead: 1.5, oauthStart: 2, flowRelayMs: 15 };

const SITE = "http://localhost:5173";
// Enforcing but never reached by the bench's load: the limiter decides every request for real.
const GENEROUS = { limit: 1_000_000, windowSeconds: 60, burst: 100_000 };

/**
 * Starts the fake Instagram, the timing proxy in front of it and the relay (`wrangler dev`) pointed
 * at both; runs `measure({ relay, proxy })`; stops all three. The latency and flow parts share it.
 */
export async function withRelayStack(measure) {
  const port = await freePort();
  const redirectUri = `http://localhost:${port}/v1/oauth/callback`;
  const fake = await startFake(redirectUri);
  const proxy = await startTimingProxy(fake.url);
  let relay;
  try {
    relay = await startRelay({ port, vars: relayVars(fake.url, proxy.url, redirectUri) });
    return await measure({ relay, proxy });
  } finally {
    await relay?.stop();
    await proxy.close();
    await fake.close();
  }
}

/** Relay vars pointing at the fake (through `upstreamUrl`) and the relay's own callback URL. */
export function relayVars(fakeUrl, upstreamUrl, redirectUri) {
  return {
    INSTAGRAM_CLIENT_ID: BENCH_CLIENT.id,
    INSTAGRAM_CLIENT_SECRET: BENCH_CLIENT.secret,
    INSTAGRAM_REDIRECT_URI: redirectUri,
    INSTAGRAM_AUTHORIZE_URL: `${fakeUrl}/oauth/authorize`,
    INSTAGRAM_API_BASE: upstreamUrl,
    INSTAGRAM_GRAPH_BASE: upstreamUrl,
    ALLOWED_ORIGINS: SITE,
    RATE_LIMITS: JSON.stringify({ oauth: GENEROUS, widget: GENEROUS, api: GENEROUS }),
  };
}

// The app API key, created in the running relay's local KV the way operators do (api-key script).
function createApiKey(persistTo) {
  const out = execFileSync(
    process.execPath,
    [
      join(RELAY_DIR, "scripts/api-key.mjs"),
      "create",
      "--name",
      "bench",
      "--ops",
      "connections:read",
      "--local",
      "--persist-to",
      persistTo,
    ],
    { cwd: RELAY_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const key = out.trim().split("\n").at(-1)?.trim();
  if (!key) throw new Error(`api-key create printed no key: ${out}`);
  return key;
}

const fmt = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));

function ratioRow(subject, m, goal, issueGoal) {
  return {
    subject: `${subject} @c${m.concurrency}`,
    metric: "p50 (median of reps)",
    value: Number(m.p50.toFixed(2)),
    unit: "ms",
    ratio: m.ratio,
    spread: `${m.ratioSpread.map((r) => r.toFixed(2)).join("-")}x over ${m.repetitions} reps`,
    extra: `ratio spread ${m.ratioSpread.map((r) => r.toFixed(2)).join("-")}x, p50 spread ${m.p50Spread.map(fmt).join("-")} ms, ${m.repetitions} reps, n ${m.n}, unexpected ${m.unexpected}`,
    ...(goal === undefined ? {} : { goal, met: m.ratio <= goal && m.unexpected === 0, issueGoal }),
  };
}

/** Starts the fake, the proxy and the relay, connects an account, measures, and stops all. */
export function run({ durationSeconds = 2, repetitions = 5 } = {}) {
  return withRelayStack(async ({ relay }) => {
    const { handle } = await connectThroughRelay({ relayUrl: relay.url, site: SITE });
    let apiKey = null;
    let apiError = null;
    try {
      apiKey = createApiKey(relay.persistTo);
    } catch (error) {
      apiError = error instanceof Error ? error.message.split("\n")[0] : String(error);
    }
    const widget = { Authorization: `Bearer ${handle.credential}`, Origin: SITE };
    const get =
      (path, headers = {}) =>
      () => ({ url: `${relay.url}${path}`, init: { headers } });
    // Starts need relay-issued attempt ids (S35): a pool issued up front, used round robin (a
    // start stores nothing, so reusing an id is what a reloaded popup does).
    const attempts = await issueAttempts(relay.url, 32);
    let next = 0;
    const start = () => {
      const { attemptId, challenge } = attempts[next++ % attempts.length];
      const query = new URLSearchParams({ origin: SITE, mode: "popup", attemptId, challenge });
      return {
        url: `${relay.url}/v1/oauth/start?${query}`,
        init: { headers: siteNavigation(SITE) },
        fetcher: navigate,
      };
    };
    const subjects = [
      { id: "health", request: get("/health") },
      { id: "me", request: get("/v1/connections/me", widget) },
      { id: "media", request: get("/v1/connections/me/media", widget) },
      ...(apiKey
        ? [
            {
              id: "api",
              request: get(`/v1/api/connections/${handle.connectionId}`, {
                Authorization: `Bearer ${apiKey}`,
              }),
            },
          ]
        : []),
      { id: "start", request: start, expect: [302] },
    ];
    // Warm every path once (workerd compiles lazily; limiter objects are created on first use).
    await interleaved(subjects, { repetitions: 1, concurrencies: [1], durationMs: 500 });
    const loadBefore = loadavg()[0];
    const measured = await interleaved(subjects, {
      repetitions,
      concurrencies: [1, 10],
      durationMs: durationSeconds * 1000,
    });
    const loadAfter = loadavg()[0];

    const goalFor = { me: GOALS.widgetRead, media: GOALS.widgetRead, api: GOALS.apiRead };
    const label = {
      health: "GET /health (baseline)",
      me: "GET /v1/connections/me",
      media: "GET /v1/connections/me/media",
      api: "GET /v1/api/connections/:id (app API)",
      start: "GET /v1/oauth/start",
    };
    const issueGoal = { me: 1, media: 1, api: 2, start: 3 };
    const rows = measured.map((m) =>
      ratioRow(
        label[m.id],
        m,
        m.id === "start" ? (m.concurrency === 10 ? GOALS.oauthStart : undefined) : goalFor[m.id],
        issueGoal[m.id],
      ),
    );
    return {
      part: "latency",
      baseline: `GET /health in the same repetition (interleaved, ${repetitions} reps x ${durationSeconds} s per subject and concurrency); load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}${apiError ? `; app API not measured: ${apiError}` : ""}`,
      rows,
      raw: { measured, loadBefore, loadAfter },
    };
  });
}
