import { describe, expect, it } from "vitest";
import { emissionInterval, type GcraPolicy, gcra } from "../../src/rate-limit/gcra.ts";
import { maxInAnyWindow, seededRandom } from "./helpers.ts";

const SECOND = 1_000_000;
const T0 = 1_800_000_000_000 * 1000; // an epoch in microseconds, as the object uses

function run(policy: GcraPolicy, arrivals: { at: number; cost: number }[]) {
  let tat: number | undefined;
  const accepted: { at: number; cost: number }[] = [];
  for (const arrival of arrivals) {
    const decision = gcra(tat, policy, arrival.cost, arrival.at);
    tat = decision.tat;
    if (decision.allowed) accepted.push(arrival);
  }
  return accepted;
}

describe("GCRA arithmetic", () => {
  it("lets burst + 1 through at once, then one per emission interval", () => {
    const policy = { limit: 3, windowSeconds: 60, burst: 2 };
    const first = gcra(undefined, policy, 1, T0);
    expect(first).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 20, retryAfterSeconds: 0 });
    const second = gcra(first.tat, policy, 1, T0);
    const third = gcra(second.tat, policy, 1, T0);
    expect(third).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 60 });
    const refused = gcra(third.tat, policy, 1, T0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetSeconds: 60, retryAfterSeconds: 20 });
    expect(refused.tat).toBe(third.tat);
    expect(gcra(third.tat, policy, 1, T0 + 20 * SECOND).allowed).toBe(true);
  });

  it("charges a cost of n like n requests and refuses costs beyond burst + 1", () => {
    const policy = { limit: 10, windowSeconds: 10, burst: 4 };
    const heavy = gcra(undefined, policy, 5, T0);
    expect(heavy).toMatchObject({ allowed: true, remaining: 0 });
    expect(gcra(heavy.tat, policy, 1, T0).allowed).toBe(false);
    expect(() => gcra(undefined, policy, 6, T0)).toThrow(RangeError);
    expect(() => gcra(undefined, { limit: 0, windowSeconds: 10, burst: 0 }, 1, T0)).toThrow(RangeError);
  });

  it("rounds the emission interval up, never loosening odd limits", () => {
    expect(emissionInterval({ limit: 7, windowSeconds: 60, burst: 0 })).toBe(8_571_429);
    expect(emissionInterval({ limit: 7, windowSeconds: 60, burst: 0 }) * 7).toBeGreaterThanOrEqual(
      60 * SECOND,
    );
  });

  it("S28: accepted units never exceed limit + burst in any window (random traffic)", () => {
    const policies: GcraPolicy[] = [
      { limit: 3, windowSeconds: 60, burst: 2 },
      { limit: 7, windowSeconds: 60, burst: 0 },
      { limit: 20, windowSeconds: 60, burst: 10 },
      { limit: 5, windowSeconds: 1, burst: 9 },
      { limit: 200, windowSeconds: 3600, burst: 50 },
    ];
    for (const [index, policy] of policies.entries()) {
      const random = seededRandom(index + 1);
      const window = policy.windowSeconds * SECOND;
      const arrivals: { at: number; cost: number }[] = [];
      let at = T0;
      for (let i = 0; i < 4000; i++) {
        // Mixed pressure: tight clusters, idle gaps, and occasional multi-unit requests.
        at += Math.floor(random() < 0.9 ? (random() * window) / (policy.limit * 4) : random() * window * 2);
        const cost = random() < 0.1 ? 1 + Math.floor(random() * (policy.burst + 1)) : 1;
        arrivals.push({ at, cost });
      }
      const accepted = run(policy, arrivals);
      // The traffic really overran the policy, so the bound below was tested under pressure.
      expect(accepted.length).toBeLessThan(arrivals.length);
      expect(maxInAnyWindow(accepted, window)).toBeLessThanOrEqual(policy.limit + policy.burst);
    }
  });

  it("S28: a saturating client gets exactly limit + burst in the first window", () => {
    const policy = { limit: 5, windowSeconds: 10, burst: 3 };
    const arrivals = Array.from({ length: 1000 }, (_, i) => ({ at: T0 + i * 50_000, cost: 1 }));
    const accepted = run(policy, arrivals);
    expect(maxInAnyWindow(accepted, 10 * SECOND)).toBe(8);
  });
});
