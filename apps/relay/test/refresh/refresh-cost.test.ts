import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ConnectionRecord } from "../../src/storage/connection-record.ts";
import { refreshDueDate } from "../../src/storage/kv-keys.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import { connectUser, countingKv, DAY_MS, T0, testStore, useEmptyKv } from "./lifecycle-helpers.ts";
import { cronRefresh } from "./queue-harness.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

/** Stores `count` connections that are not due for weeks (their tokens were just refreshed). */
async function storeIdleConnections(count: number, nowMs: number): Promise<void> {
  const store = testStore();
  const expiresAtMs = nowMs + 59 * DAY_MS;
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, async (_, offset) => {
      const n = start + offset;
      const id = String(90_000_000_000_000_000n + BigInt(n));
      const record: Omit<ConnectionRecord, "accessToken"> = {
        v: 1,
        connectionId: `conn_idle${String(n).padStart(17, "0")}`,
        status: "active",
        profile: {
          id,
          userId: String(80_000_000_000_000_000n + BigInt(n)),
          username: `idle.${n}`,
          name: null,
          accountType: "BUSINESS",
          profilePictureUrl: null,
          followersCount: null,
          followsCount: null,
          mediaCount: null,
        },
        scopes: ["instagram_business_basic"],
        tokenIssuedAt: new Date(nowMs - DAY_MS).toISOString(),
        tokenExpiresAt: new Date(expiresAtMs).toISOString(),
        refreshDueDate: refreshDueDate(expiresAtMs),
        credentialHash: "k1:unused",
        connectedAt: new Date(nowMs).toISOString(),
        updatedAt: new Date(nowMs).toISOString(),
      };
      await store.put(await store.sealToken(record, `idle-token-${n}`));
    });
    await Promise.all(batch);
  }
}

describe("refresh cron cost", () => {
  it("KV operations of the cron's walk grow with the due connections, not with all 500 stored", async () => {
    const { fake } = ctx;
    fake.addUser({ username: "user.three" });
    fake.addUser({ username: "user.four" });
    fake.addUser({ username: "user.five" });
    for (const user of ["jane.doe", "max.creator", "user.three", "user.four", "user.five"]) {
      await connectUser(fake, user);
    }
    fake.clock.advance(54 * DAY_MS);
    await storeIdleConnections(495, fake.clock.now());
    const stored = await env.CONNECTIONS.list({ prefix: "conn:" });
    expect(stored.keys).toHaveLength(500);

    // Pages of 2: the 5 due entries and the first future one take 3 list calls; the walk and the
    // queue consumer read no record themselves (each coordinator reads only its own connection).
    const counted = countingKv(env.CONNECTIONS);
    const report = await cronRefresh({ pageSize: 2 }, { CONNECTIONS: counted.kv }).run();
    expect(report).toMatchObject({ due: 5, outcomes: { refreshed: 5 }, errors: 0 });
    expect(callCount(fake, "refresh")).toBe(5);
    expect(counted.counts).toEqual({ get: 0, getWithMetadata: 0, put: 0, delete: 0, list: 3 });

    // Nothing due any more: one list call, whatever the number of stored connections.
    const idle = countingKv(env.CONNECTIONS);
    expect((await cronRefresh({}, { CONNECTIONS: idle.kv }).run()).due).toBe(0);
    expect(idle.counts).toEqual({ get: 0, getWithMetadata: 0, put: 0, delete: 0, list: 1 });
  }, 60_000);
});
