import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { limiterName } from "../../src/rate-limit/keys.ts";
import { GCRA_STATE_KEY, type StoredGcraState } from "../../src/rate-limit/rate-limiter.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { freshIp, maxInAnyWindow, seededRandom } from "./helpers.ts";

const T0 = 1_800_000_000_000;

async function limiterFor(key: string) {
  return env.RATE_LIMITER.getByName(await limiterName("oauth", key));
}

function storedState(stub: Awaited<ReturnType<typeof limiterFor>>) {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.kv.get<StoredGcraState>(GCRA_STATE_KEY),
  );
}

afterEach(() => setClockForTests(null));

describe("RateLimiter Durable Object", () => {
  it("enforces a key's limit and reports the policy back", async () => {
    const stub = await limiterFor(freshIp());
    const policy = { limit: 3, windowSeconds: 60, burst: 2, now: T0 };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await stub.consume(policy));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, true, false]);
    expect(answers[3]).toEqual({
      allowed: false,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 20,
      limit: 3,
      windowSeconds: 60,
      burst: 2,
    });
  });

  it("keeps keys independent: one exhausted key does not affect another", async () => {
    const busy = await limiterFor(freshIp());
    const quiet = await limiterFor(freshIp());
    const policy = { limit: 1, windowSeconds: 60, burst: 0, now: T0 };
    expect((await busy.consume(policy)).allowed).toBe(true);
    expect((await busy.consume(policy)).allowed).toBe(false);
    expect(await quiet.consume(policy)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("defaults burst to limit - 1 so a quiet client may spend the whole window at once", async () => {
    const stub = await limiterFor(freshIp());
    const first = await stub.consume({ limit: 4, windowSeconds: 60, now: T0 });
    expect(first).toMatchObject({ allowed: true, remaining: 3, burst: 3 });
  });

  it("refills as time passes and is back to a full burst once the window is over", async () => {
    const stub = await limiterFor(freshIp());
    const policy = { limit: 3, windowSeconds: 60, burst: 2 };
    for (let i = 0; i < 3; i++) await stub.consume({ ...policy, now: T0 });
    expect((await stub.consume({ ...policy, now: T0 + 19_999 })).allowed).toBe(false);
    expect(await stub.consume({ ...policy, now: T0 + 20_000 })).toMatchObject({
      allowed: true,
      remaining: 0,
    });
    expect(await stub.consume({ ...policy, now: T0 + 140_000 })).toMatchObject({
      allowed: true,
      remaining: 2,
    });
  });

  it("S28: accepted <= limit + burst in any window, through the object", async () => {
    const stub = await limiterFor(freshIp());
    const policy = { limit: 5, windowSeconds: 10, burst: 3 };
    const random = seededRandom(42);
    const accepted: { at: number; cost: number }[] = [];
    let now = T0;
    for (let i = 0; i < 300; i++) {
      now += Math.floor(random() * 700);
      if ((await stub.consume({ ...policy, now })).allowed) accepted.push({ at: now, cost: 1 });
    }
    expect(maxInAnyWindow(accepted, 10_000)).toBe(policy.limit + policy.burst);
  });

  it("persists its state, so an evicted object keeps refusing", async () => {
    const stub = await limiterFor(freshIp());
    const policy = { limit: 2, windowSeconds: 60, burst: 1, now: T0 };
    await stub.consume(policy);
    await stub.consume(policy);
    expect(await storedState(stub)).toEqual({ tat: (T0 + 60_000) * 1000 });
    await evictDurableObject(stub);
    expect((await stub.consume(policy)).allowed).toBe(false);
  });

  it("does not write state for a refused request", async () => {
    const stub = await limiterFor(freshIp());
    const policy = { limit: 1, windowSeconds: 60, burst: 0, now: T0 };
    await stub.consume(policy);
    const before = await storedState(stub);
    await stub.consume({ ...policy, now: T0 + 1000 });
    expect(await storedState(stub)).toEqual(before);
  });

  it("drops the stored row once the key has gone idle (alarm on the relay clock)", async () => {
    let clock = T0;
    setClockForTests(() => clock);
    const stub = await limiterFor(freshIp());
    const policy = { limit: 2, windowSeconds: 60, burst: 1 };
    await stub.consume(policy);
    await stub.consume(policy);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedState(stub)).toEqual({ tat: (T0 + 60_000) * 1000 });

    clock = T0 + 60_000;
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await storedState(stub)).toBeUndefined();
    expect(await stub.consume(policy)).toMatchObject({ allowed: true, remaining: 1 });
  });
});
