import { env } from "cloudflare:workers";
import type { FakeFaultKind } from "@instagram-connect/fake-instagram";
import { describe, expect, it } from "vitest";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { instagramIdKey, instagramUserIdKey } from "../../src/storage/kv-keys.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import {
  auditNames,
  connectThreeUsers,
  connectUser,
  DAY_MS,
  keysMentioning,
  storedRecord,
  T0,
  useEmptyKv,
  widgetStatus,
} from "./lifecycle-helpers.ts";
import { cronRefresh } from "./queue-harness.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

const HOUR_MS = 3_600_000;

describe("transient refresh failures (S26)", () => {
  it.each<[FakeFaultKind, number | undefined]>([
    ["http_5xx", undefined],
    ["timeout", undefined],
    ["rate_limit", 4],
    ["rate_limit", 80002],
  ])("S26: %s (code %s) keeps the token, backs off, and a later cron refreshes", async (kind, code) => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    const sealedBefore = (await storedRecord(handle.connectionId)).accessToken;
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind, ...(code === undefined ? {} : { code }) });

    const first = await cron.run();
    expect(first.outcomes).toEqual({ retry_scheduled: 1 });
    const kept = await storedRecord(handle.connectionId);
    expect(kept.status).toBe("active");
    expect(kept.accessToken).toBe(sealedBefore);
    expect(await widgetStatus(handle)).toBe("active");
    const retry = await coordinatorFor(env, handle.connectionId).retryState();
    expect(retry?.failures).toBe(1);
    const delay = (retry?.nextAttemptAt ?? 0) - fake.clock.now();
    expect(delay).toBeGreaterThanOrEqual(HOUR_MS / 2);
    expect(delay).toBeLessThanOrEqual(HOUR_MS);

    // Within the backoff, another cron does not call Instagram again.
    expect((await cron.run()).outcomes).toEqual({ backoff: 1 });
    expect(callCount(fake, "refresh")).toBe(1);

    fake.clock.advance(DAY_MS);
    expect((await cron.run()).outcomes).toEqual({ refreshed: 1 });
    expect(await coordinatorFor(env, handle.connectionId).retryState()).toBeUndefined();
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "refresh_failed", "refreshed"]);
  });

  it("S26: repeated faults over several daily crons lose no connection", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handles = await connectThreeUsers(fake);
    fake.clock.advance(53 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "http_5xx", times: 4 });
    fake.faults.inject({ endpoint: "refresh", kind: "rate_limit", code: 17, times: 2 });
    for (let day = 0; day < 6; day++) {
      await cron.run();
      fake.clock.advance(DAY_MS);
    }
    for (const handle of handles) {
      const record = await storedRecord(handle.connectionId);
      expect(record.status).toBe("active");
      expect(Date.parse(record.tokenExpiresAt) - fake.clock.now()).toBeGreaterThan(50 * DAY_MS);
      expect(await widgetStatus(handle)).toBe("active");
    }
  });
});

describe("final refresh failures (S26)", () => {
  it("S26: an invalid token (190) marks the connection reauth_required and keeps no usable token", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "token_revoked" });
    expect((await cron.run()).outcomes).toEqual({ reauth_required: 1 });

    const record = await storedRecord(handle.connectionId);
    expect(record.status).toBe("reauth_required");
    expect(record.accessToken).toBe("");
    expect(await widgetStatus(handle)).toBe("reauth_required");
    // No due entry (nothing to refresh); the Instagram id indexes stay for a reconnect.
    const keys = await keysMentioning(handle.connectionId);
    expect(keys.filter((name) => name.startsWith("due:"))).toEqual([]);
    expect(await env.CONNECTIONS.get(instagramUserIdKey("17841477965412211"))).toBe(handle.connectionId);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "reauth_required"]);
    // Later crons leave it alone.
    await cron.run();
    expect(callCount(fake, "refresh")).toBe(1);
  });

  it("S26: a token revoked by the user, then a reconnect, makes the same connection active again", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    fake.revokeUser("jane.doe");
    await cron.run();
    expect(await widgetStatus(handle)).toBe("reauth_required");

    fake.clock.advance(60_000);
    const again = await connectUser(fake);
    expect(again.connectionId).toBe(handle.connectionId);
    expect(await widgetStatus(again)).toBe("active");
    expect((await keysMentioning(handle.connectionId)).some((name) => name.startsWith("due:"))).toBe(true);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "reauth_required", "connected"]);
    fake.clock.advance(54 * DAY_MS);
    expect((await cron.run()).outcomes).toEqual({ refreshed: 1 });
  });

  it("S26: a withdrawn instagram_business_basic scope (code 10) is final too", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    fake.clock.advance(54 * DAY_MS);
    fake.removePermission("jane.doe", "instagram_business_basic");
    await cron.run();
    expect((await storedRecord(handle.connectionId)).status).toBe("reauth_required");
  });

  it("a token that expired before any cron reached it is marked without calling Instagram", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    fake.clock.advance(61 * DAY_MS);
    expect(await widgetStatus(handle)).toBe("reauth_required");
    expect((await cron.run()).outcomes).toEqual({ reauth_required: 1 });
    expect(callCount(fake, "refresh")).toBe(0);
    expect((await storedRecord(handle.connectionId)).accessToken).toBe("");
    expect(await env.CONNECTIONS.get(instagramIdKey("27640875392278831"))).toBe(handle.connectionId);
  });
});
