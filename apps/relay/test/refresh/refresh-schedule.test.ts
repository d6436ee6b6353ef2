import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { refreshConnection } from "../../src/lifecycle/refresh-connection.ts";
import { dueCutoffDay, retryDelayMs } from "../../src/lifecycle/refresh-policy.ts";
import { memoryRetryStore } from "../../src/lifecycle/retry-store.ts";
import { connectionKey, REFRESH_MARGIN_MS } from "../../src/storage/kv-keys.ts";
import { testKey } from "../support/config.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import {
  auditNames,
  connectThreeUsers,
  connectUser,
  countingKv,
  DAY_MS,
  envWith,
  storedRecord,
  T0,
  useEmptyKv,
  widgetStatus,
} from "./lifecycle-helpers.ts";
import { cronRefresh } from "./queue-harness.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

describe("scheduled refresh", () => {
  it("S25: keeps a connection alive across 120 days of daily crons, refreshing only when due", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    const handle = await connectUser(fake);
    const connectedAt = fake.clock.now();
    const refreshDays: number[] = [];
    for (let day = 1; day <= 120; day++) {
      fake.clock.advance(DAY_MS);
      const before = callCount(fake, "refresh");
      await cron.run();
      if (callCount(fake, "refresh") > before) refreshDays.push(day);
      const record = await storedRecord(handle.connectionId);
      expect(record.status).toBe("active");
      // Never expired, and never closer to expiry than the refresh window plus a cron interval.
      expect(Date.parse(record.tokenExpiresAt) - fake.clock.now()).toBeGreaterThan(6 * DAY_MS);
      if (day % 10 === 0 || refreshDays.at(-1) === day) expect(await widgetStatus(handle)).toBe("active");
    }
    // ~60-day tokens refreshed once they expire within 7 days: day 53, then 53 days later.
    expect(refreshDays).toEqual([53, 106]);
    expect(callCount(fake, "refresh")).toBe(2);
    const record = await storedRecord(handle.connectionId);
    expect(Date.parse(record.tokenIssuedAt)).toBe(connectedAt + 106 * DAY_MS);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed", "refreshed"]);
  });

  // The cron trigger itself now fans out through the refresh queue: refresh-queue.test.ts.

  it("S25: does not refresh a token younger than 24 h or outside the window", async () => {
    const { fake } = ctx;
    const cron = cronRefresh();
    await connectUser(fake);
    await cron.run();
    fake.clock.advance(30 * DAY_MS);
    const report = await cron.run();
    expect(report.due).toBe(0);
    expect(callCount(fake, "refresh")).toBe(0);
  });

  it("S25: a wider REFRESH_WINDOW_DAYS makes the cron look further ahead", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    fake.clock.advance(41 * DAY_MS);
    const wide = envWith({ REFRESH_WINDOW_DAYS: "20" });
    expect((await cronRefresh().run()).due).toBe(0);
    const report = await cronRefresh(
      { refresh: (connectionId) => refreshConnection(wide, connectionId, memoryRetryStore()) },
      { REFRESH_WINDOW_DAYS: "20" },
    ).run();
    expect(report).toMatchObject({ due: 1, outcomes: { refreshed: 1 } });
    expect((await storedRecord(handle.connectionId)).tokenIssuedAt).toBe(
      new Date(fake.clock.now()).toISOString(),
    );
  });

  it("S25: running the cron twice refreshes once; a walk that died half way is safe to rerun", async () => {
    const { fake } = ctx;
    const handles = await connectThreeUsers(fake);
    fake.clock.advance(54 * DAY_MS);
    // Every list call after the first fails: the walk dies after its first page (one connection);
    // the queue retries the rest of the walk later (30 s on), so this run ends there.
    const dying = countingKv(env.CONNECTIONS, (method) => method === "list" && dying.counts.list > 1);
    const died = await cronRefresh({ pageSize: 1 }, { CONNECTIONS: dying.kv }).run();
    expect(died).toMatchObject({ due: 1, outcomes: { refreshed: 1 }, errors: 1 });
    expect(callCount(fake, "refresh")).toBe(1);

    const cron = cronRefresh();
    const rerun = await cron.run();
    // The refreshed connection's due entry already moved 53 days ahead: only two are left.
    expect(rerun).toMatchObject({ due: 2, outcomes: { refreshed: 2 } });
    await cron.run();
    expect(callCount(fake, "refresh")).toBe(3);
    for (const handle of handles) {
      expect(await auditNames(handle.connectionId)).toEqual(["connected", "refreshed"]);
    }
  });

  it("S20: a refresh re-encrypts the token under the newest key", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    expect((await storedRecord(handle.connectionId)).accessToken).toMatch(/^v1\.k1\./);
    fake.clock.advance(54 * DAY_MS);
    const rotated = envWith({ TOKEN_ENCRYPTION_KEYS: `k2:${testKey(2)},k1:${testKey(1)}` });
    const outcome = await refreshConnection(rotated, handle.connectionId, memoryRetryStore());
    expect(outcome.status).toBe("refreshed");
    expect((await storedRecord(handle.connectionId)).accessToken).toMatch(/^v1\.k2\./);
  });

  it("S24: when storing the new token fails after Instagram's 200, nothing is announced and nothing is lost", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const before = await env.CONNECTIONS.get(connectionKey(handle.connectionId));
    fake.clock.advance(54 * DAY_MS);
    const failing = countingKv(
      env.CONNECTIONS,
      (method, key) => method === "put" && typeof key === "string" && key.startsWith("conn:"),
    );
    const retries = memoryRetryStore();
    const outcome = await refreshConnection(
      envWith({ CONNECTIONS: failing.kv }),
      handle.connectionId,
      retries,
    );
    expect(callCount(fake, "refresh")).toBe(1);
    expect(outcome).toMatchObject({ status: "retry_scheduled", code: "persist_failed", failures: 1 });
    expect(retries.get()?.failures).toBe(1);
    expect(await env.CONNECTIONS.get(connectionKey(handle.connectionId))).toBe(before);
    expect(await auditNames(handle.connectionId)).toEqual(["connected"]);
  });
});

describe("refresh policy", () => {
  it("backs off exponentially with jitter, capped at a day", () => {
    const hour = 3_600_000;
    expect(retryDelayMs(1, () => 0)).toBe(hour / 2);
    expect(retryDelayMs(1, () => 0.999_999)).toBeLessThanOrEqual(hour);
    expect(retryDelayMs(3, () => 0)).toBe(2 * hour);
    expect(retryDelayMs(30, () => 1)).toBe(24 * hour);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelayMs(4)));
    expect(spread.size).toBeGreaterThan(1);
    for (const delay of spread) {
      expect(delay).toBeGreaterThanOrEqual(4 * hour);
      expect(delay).toBeLessThanOrEqual(8 * hour);
    }
  });

  it("reads due entries up to today, further ahead only for a wider window", () => {
    const now = Date.parse("2027-03-10T12:00:00Z");
    expect(dueCutoffDay(now, REFRESH_MARGIN_MS)).toBe("2027-03-10");
    expect(dueCutoffDay(now, REFRESH_MARGIN_MS + 3 * DAY_MS)).toBe("2027-03-13");
    expect(dueCutoffDay(now, DAY_MS)).toBe("2027-03-10");
  });
});
