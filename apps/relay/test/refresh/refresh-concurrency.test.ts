import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { disconnectConnection } from "../../src/lifecycle/disconnect-connection.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import {
  auditNames,
  connectUser,
  DAY_MS,
  keysMentioning,
  storedRecord,
  T0,
  useEmptyKv,
} from "./lifecycle-helpers.ts";
import { cronRefresh } from "./queue-harness.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

describe("one refresh per connection at a time (S23)", () => {
  it("S23: ten concurrent refresh triggers make one Instagram call and agree on the result", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    // Instagram answers slowly, so every trigger arrives while the first call is in flight.
    fake.faults.inject({ endpoint: "refresh", kind: "timeout", delayMs: 50 });
    const coordinator = coordinatorFor(env, handle.connectionId);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => coordinator.refresh(handle.connectionId)),
    );
    expect(callCount(fake, "refresh")).toBe(1);
    const expiry = (await storedRecord(handle.connectionId)).tokenExpiresAt;
    for (const outcome of outcomes) expect(outcome).toEqual({ status: "refreshed", tokenExpiresAt: expiry });

    // Later triggers re-read the record under the lock and find it fresh.
    const later = await Promise.all(
      Array.from({ length: 5 }, () => coordinator.refresh(handle.connectionId)),
    );
    expect(later.map((outcome) => outcome.status)).toEqual(Array(5).fill("not_due"));
    expect(callCount(fake, "refresh")).toBe(1);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed"]);
  });

  it("S23: overlapping crons refresh each connection once", async () => {
    const { fake } = ctx;
    const jane = await connectUser(fake, "jane.doe");
    const max = await connectUser(fake, "max.creator");
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "timeout", delayMs: 30, times: 2 });
    await Promise.all([cronRefresh().run(), cronRefresh().run(), cronRefresh().run()]);
    expect(callCount(fake, "refresh")).toBe(2);
    expect(await auditNames(jane.connectionId)).toEqual(["connected", "refreshed"]);
    expect(await auditNames(max.connectionId)).toEqual(["connected", "refreshed"]);
  });

  it("S23: a disconnect during a refresh waits for it, and the token is not written back", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "timeout", delayMs: 50 });
    const refreshing = coordinatorFor(env, handle.connectionId).refresh(handle.connectionId);
    const removed = disconnectConnection(env, handle.connectionId, "user_disconnected");
    expect((await refreshing).status).toBe("refreshed");
    expect((await removed).removed).toBe(true);
    const left = await keysMentioning(handle.connectionId);
    expect(left.filter((name) => !name.startsWith("audit:"))).toEqual([]);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed", "disconnected"]);
  });
});
