import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { refreshConnection } from "../../src/lifecycle/refresh-connection.ts";
import { RETRY_EXPIRY_MARGIN_MS } from "../../src/lifecycle/refresh-policy.ts";
import { memoryRetryStore } from "../../src/lifecycle/retry-store.ts";
import { getMedia } from "../cache/connected.ts";
import {
  auditNames,
  connectUser,
  DAY_MS,
  storedRecord,
  T0,
  useEmptyKv,
} from "../refresh/lifecycle-helpers.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { approve, callback, startFlow } from "../support/flow.ts";
import { allKvKeys, coordinatorKeys } from "./helpers.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

describe("no refreshed token is lost", () => {
  it("S24: a refreshed token whose KV write failed is replayed from the coordinator's write-ahead copy", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    faults.kv({ method: "put", prefix: "conn:", effect: "fail" });
    const coordinator = coordinatorFor(env, handle.connectionId);
    expect(await coordinator.refresh(handle.connectionId)).toMatchObject({
      status: "retry_scheduled",
      code: "persist_failed",
    });
    expect(faults.injected).toBe(1);
    expect(await coordinatorKeys(handle.connectionId)).toContain("pending");
    // Instagram has superseded the old token: only the write-ahead copy holds a working one.
    const second = await coordinator.refresh(handle.connectionId);
    expect(second).toMatchObject({ status: "not_due" });
    expect(callCount(fake, "refresh")).toBe(1);
    expect(Date.parse((await storedRecord(handle.connectionId)).tokenIssuedAt)).toBe(fake.clock.now());
    expect(await coordinatorKeys(handle.connectionId)).not.toContain("pending");
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed"]);
    expect((await getMedia(handle, "?limit=2")).status).toBe(200);
  });

  it("a first consent whose record write fails leaves no index entry behind", async () => {
    const { fake } = ctx;
    faults.kv({ method: "put", prefix: "conn:", effect: "fail" });
    const flow = await startFlow();
    await callback(approve(fake, flow), flow.cookie);
    expect(faults.injected).toBe(1);
    expect((await allKvKeys()).filter((key) => /^(conn|igid|iguser|due):/.test(key))).toEqual([]);
  });

  it("a transient failure never schedules the next attempt past the token's expiry", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const expiresAt = Date.parse((await storedRecord(handle.connectionId)).tokenExpiresAt);
    fake.clock.advance(expiresAt - 12 * 3_600_000 - fake.clock.now());
    fake.faults.inject({ endpoint: "refresh", kind: "http_5xx" });
    const retries = memoryRetryStore({ failures: 6, nextAttemptAt: 0 });
    const outcome = await refreshConnection(env, handle.connectionId, retries);
    expect(outcome).toMatchObject({ status: "retry_scheduled", failures: 7 });
    expect(retries.get()?.nextAttemptAt).toBeLessThanOrEqual(expiresAt - RETRY_EXPIRY_MARGIN_MS);
  });
});
