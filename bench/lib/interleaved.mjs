// Interleaved closed-loop latency: every subject is measured once per repetition, in the same
// order (A, B, C, A, B, C, ...), so a load spike on the shared machine hits all of them alike.
// Each figure is the median over repetitions of the per-repetition p50, and each ratio the median
// of the per-repetition ratios against the baseline measured in the same repetition.
import { percentile } from "./load.mjs";

/**
 * `concurrency` workers each fetching `request()` back to back for `durationMs`; returns every
 * latency in ms (fractional, performance.now()) and the count of unexpected statuses or
 * network errors.
 */
export async function closedLoop(request, { concurrency, durationMs, expect = [200] }) {
  const samples = [];
  let unexpected = 0;
  const until = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const { url, init } = request();
      const started = performance.now();
      try {
        // A subject may bring its own client (`init.fetch`, e.g. navigate() in connect-flow.mjs).
        const { fetch: send = fetch, ...rest } = init ?? {};
        const response = await send(url, { redirect: "manual", ...rest });
        await response.arrayBuffer();
        samples.push(performance.now() - started);
        if (!expect.includes(response.status)) unexpected++;
      } catch {
        // A refused or reset connection on the overloaded loopback: counted, never a latency.
        unexpected++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { samples, unexpected };
}

const median = (values) => percentile(values, 50);

/**
 * Runs `subjects` (the first is the baseline) `repetitions` times, interleaved, at each
 * concurrency. Returns per concurrency and subject: median p50, spread (min-max of the
 * per-repetition p50), median ratio to the baseline and its spread, request count, failures.
 */
export async function interleaved(subjects, { repetitions, concurrencies, durationMs }) {
  const out = [];
  for (const concurrency of concurrencies) {
    const perSubject = subjects.map(() => ({ p50s: [], ratios: [], n: 0, unexpected: 0 }));
    for (let rep = 0; rep < repetitions; rep++) {
      let baseP50 = Number.NaN;
      for (const [index, subject] of subjects.entries()) {
        const run = await closedLoop(subject.request, { concurrency, durationMs, expect: subject.expect });
        const p50 = median(run.samples);
        if (index === 0) baseP50 = p50;
        const acc = perSubject[index];
        acc.p50s.push(p50);
        acc.ratios.push(p50 / baseP50);
        acc.n += run.samples.length;
        acc.unexpected += run.unexpected;
      }
    }
    for (const [index, subject] of subjects.entries()) {
      const acc = perSubject[index];
      out.push({
        id: subject.id,
        concurrency,
        p50: median(acc.p50s),
        p50Spread: [Math.min(...acc.p50s), Math.max(...acc.p50s)],
        ratio: median(acc.ratios),
        ratioSpread: [Math.min(...acc.ratios), Math.max(...acc.ratios)],
        n: acc.n,
        unexpected: acc.unexpected,
        repetitions,
      });
    }
  }
  return out;
}
