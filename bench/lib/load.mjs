// Bounded loopback load with autocannon, and a sequential sampler for paths that cannot repeat.
import autocannon from "autocannon";

/** Default load: a few connections for a few seconds, never open-ended. */
export const DEFAULT_LOAD = { connections: 8, durationSeconds: 10 };

/** Runs autocannon against `url` and returns latency percentiles (ms), throughput and failures. */
export async function runLoad(url, { headers = {}, connections, durationSeconds } = {}) {
  const result = await autocannon({
    url,
    headers,
    connections: connections ?? DEFAULT_LOAD.connections,
    duration: durationSeconds ?? DEFAULT_LOAD.durationSeconds,
  });
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.average,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Percentile `p` (0-100) of `samples` (ms), nearest-rank. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Summary of sequential samples (ms). */
export function summarize(samples) {
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    mean: samples.reduce((sum, ms) => sum + ms, 0) / samples.length,
  };
}

/** Wall time (ms) of each of `n` sequential runs of `fn`. */
export async function sampleSequential(n, fn) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}
