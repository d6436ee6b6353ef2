import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { bearerCredentialKey, limiterName } from "../../src/rate-limit/keys.ts";
import { IsolateLeases, LEASE_TTL_MS } from "../../src/rate-limit/lease.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { envWithLimits, freshIp, limitedApp, maxInAnyWindow, requestFrom, seededRandom } from "./helpers.ts";

afterEach(() => setClockForTests(null));

const POLICY = { limit: 10, windowSeconds: 10, burst: 4 };

describe("isolate leases (widget limiter off the response path)", () => {
  it("N concurrent requests on one key get exactly burst + 1 through at a frozen clock", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const app = limitedApp({ family: "widget", key: bearerCredentialKey, lease: true });
    const appEnv = envWithLimits({ widget: POLICY });
    const credential = `conn_${crypto.randomUUID()}`;
    const ip = freshIp();
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => app.request(requestFrom(ip, { credential }), {}, appEnv)),
    );
    const accepted = answers.filter((res) => res.status === 200).length;
    expect(accepted).toBe(POLICY.burst + 1);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(60 - accepted);
  });

  it("three isolates on one key accept at most limit + burst + ceil(limit * LEASE_TTL / window) in any window", async () => {
    let clock = 1_800_000_000_000;
    setClockForTests(() => clock);
    const name = await limiterName("widget", `bench:${crypto.randomUUID()}`);
    const stub = () => env.RATE_LIMITER.getByName(name);
    const isolates = [new IsolateLeases(), new IsolateLeases(), new IsolateLeases()];
    const random = seededRandom(17);
    const background: Promise<unknown>[] = [];
    const accepted: { at: number; cost: number }[] = [];
    // Bursty traffic over six windows, spread over isolates; background refills sometimes land
    // late (after the next request), as they would under load.
    for (let i = 0; i < 600; i++) {
      clock += Math.floor(random() * random() * 400);
      const isolate = isolates[Math.floor(random() * isolates.length)] as IsolateLeases;
      const result = await isolate.consume(name, stub, POLICY, (work) => background.push(work));
      if (result.allowed) accepted.push({ at: clock * 1000, cost: 1 });
      if (random() < 0.5) await Promise.all(background.splice(0));
    }
    await Promise.all(background);
    const overshoot = Math.ceil((POLICY.limit * LEASE_TTL_MS) / (POLICY.windowSeconds * 1000));
    const busiest = maxInAnyWindow(accepted, POLICY.windowSeconds * 1_000_000);
    expect(busiest).toBeLessThanOrEqual(POLICY.limit + POLICY.burst + overshoot);
    // The limiter still limits: far fewer than the 600 requests went through.
    expect(accepted.length).toBeLessThan(600 / 2);
  });
});
