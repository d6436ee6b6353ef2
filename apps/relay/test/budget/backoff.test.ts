import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ConnectionResponse, ErrorBody, MediaPage } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { limiterName } from "../../src/rate-limit/keys.ts";
import { PAUSE_STATE_KEY } from "../../src/rate-limit/rate-limiter.ts";
import { connect, freshUser, getMe, getMedia, graphReads } from "../cache/connected.ts";
import { useFakeInstagram } from "../support/fake.ts";

const ctx = useFakeInstagram();
const MINUTE = 60_000;

describe("backing off when Instagram says so", () => {
  it("upstream 613: no further upstream call, 429 with retryAfter + Retry-After, upstream again after the regain time", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.faults.inject({ endpoint: "media", kind: "rate_limit", code: 613 });

    const first = await getMedia(handle);
    expect(first.status).toBe(429);
    // The fake's throttled answer names 5 minutes to regain access.
    expect(first.headers.get("Retry-After")).toBe("300");
    expect(first.json<ErrorBody>().error).toMatchObject({ code: "rate_limited", retryAfter: 300 });
    expect(first.text).not.toMatch(/613|exceeded|fbtrace/);

    const reads = graphReads(fake, "media");
    fake.clock.advance(MINUTE);
    const second = await getMedia(handle, "?limit=5");
    expect(second.status).toBe(429);
    expect(second.headers.get("Retry-After")).toBe("240");
    expect(second.json<ErrorBody>().error.retryAfter).toBe(240);
    expect(graphReads(fake, "media")).toBe(reads);

    // Profile reads of that account hold off too; /me falls back to the stored profile.
    const meCalls = graphReads(fake, "me");
    const me = await getMe(handle);
    expect(me.status).toBe(200);
    expect(me.json<ConnectionResponse>().connection.profile.username).toBe(user.username);
    expect(graphReads(fake, "me")).toBe(meCalls);

    fake.clock.advance(4 * MINUTE + 1000);
    const after = await getMedia(handle);
    expect(after.status).toBe(200);
    expect(after.json<MediaPage>().items).toHaveLength(12);
    expect(graphReads(fake, "media")).toBe(reads + 1);
  });

  it.each([4, 17, 32, 80002, 341, 368])("rate-limit code %s pauses the account", async (code) => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    fake.faults.inject({ endpoint: "media", kind: "rate_limit", code });
    expect((await getMedia(handle)).status).toBe(429);
    const reads = graphReads(fake, "media");
    expect((await getMedia(handle, "?limit=3")).status).toBe(429);
    expect(graphReads(fake, "media")).toBe(reads);
  });

  it("high business usage: served and cached now, then answered from cache without Instagram until the regain time", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.setUsage({ userId: user.id, businessCallCount: 95, estimatedTimeToRegainAccess: 30 });
    const first = await getMedia(handle);
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Relay-Cache")).toBe("miss");
    fake.setUsage({ userId: user.id, businessCallCount: 10, estimatedTimeToRegainAccess: 0 });
    const reads = graphReads(fake, "media");

    // Past the 300 s cache time but inside the 30 min pause: the cached page, no upstream call.
    fake.clock.advance(10 * MINUTE);
    const stale = await getMedia(handle);
    expect(stale.status).toBe(200);
    expect(stale.headers.get("X-Relay-Cache")).toBe("stale");
    expect(stale.json<MediaPage>()).toEqual(first.json<MediaPage>());
    // A page never fetched has nothing to fall back on.
    const uncached = await getMedia(handle, "?limit=4");
    expect(uncached.status).toBe(429);
    expect(uncached.json<ErrorBody>().error.retryAfter).toBe(20 * 60);
    expect(graphReads(fake, "media")).toBe(reads);

    fake.clock.advance(20 * MINUTE + 1000);
    const fresh = await getMedia(handle);
    expect(fresh.headers.get("X-Relay-Cache")).toBe("miss");
    expect(graphReads(fake, "media")).toBe(reads + 1);
  });

  it("high app usage (X-App-Usage) pauses the account for the default backoff", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    fake.setUsage({ appCallCount: 92 });
    expect((await getMedia(handle)).status).toBe(200);
    fake.setUsage({ appCallCount: 1 });
    const reads = graphReads(fake, "media");
    const refused = await getMedia(handle, "?limit=2");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("300");
    expect(graphReads(fake, "media")).toBe(reads);
  });

  it("keeps the pause in the account's upstream limiter object; a later answer never shortens it", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.setUsage({ userId: user.id, businessCallCount: 100, estimatedTimeToRegainAccess: 60 });
    const t0 = fake.clock.now();
    expect((await getMedia(handle)).status).toBe(200);
    const t1 = fake.clock.now();
    const stub = env.RATE_LIMITER.getByName(await limiterName("upstream", user.userId));
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.kv.get<{ until: number }>(PAUSE_STATE_KEY),
    );
    // The fake clock follows real time: the pause was set 60 min after the answer came in.
    expect(stored?.until).toBeGreaterThanOrEqual(t0 + 60 * MINUTE);
    expect(stored?.until).toBeLessThanOrEqual(t1 + 60 * MINUTE);
    await stub.pause(fake.clock.now() + MINUTE);
    const after = await runInDurableObject(stub, (_instance, state) =>
      state.storage.kv.get<{ until: number }>(PAUSE_STATE_KEY),
    );
    expect(after?.until).toBe(stored?.until);
  });
});
