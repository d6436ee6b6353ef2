import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/relay-config.ts";
import { coordinatedStore, coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { refreshConnection } from "../../src/lifecycle/refresh-connection.ts";
import { memoryRetryStore } from "../../src/lifecycle/retry-store.ts";
import { unwrap } from "../../src/result.ts";
import { ConnectionStore } from "../../src/storage/connection-store.ts";
import { testKey } from "../support/config.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import { connectUser, DAY_MS, envWith, storedRecord, T0, useEmptyKv } from "./lifecycle-helpers.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

const rotatedEnv = () => envWith({ TOKEN_ENCRYPTION_KEYS: `k2:${testKey(2)},k1:${testKey(1)}` });

describe("key rotation racing a refresh", () => {
  it("S20/S23: a token read under the old key before a refresh never overwrites the refreshed token", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    // A reader fetched the record while it was still sealed under k1 ...
    const staleRead = await storedRecord(handle.connectionId);
    expect(staleRead.accessToken).toMatch(/^v1\.k1\./);

    // ... then a refresh stored a new token under the newest key ...
    fake.clock.advance(54 * DAY_MS);
    const rotated = rotatedEnv();
    const outcome = await refreshConnection(rotated, handle.connectionId, memoryRetryStore());
    expect(outcome.status).toBe("refreshed");
    const refreshed = await storedRecord(handle.connectionId);
    expect(refreshed.accessToken).toMatch(/^v1\.k2\./);

    // ... and only then does the reader decrypt what it fetched and want to re-encrypt it.
    const store = new ConnectionStore(env.CONNECTIONS, unwrap(loadConfig(rotated)));
    const oldToken = unwrap(await store.readAccessToken(staleRead));
    const after = await storedRecord(handle.connectionId);
    expect(after.accessToken).toBe(refreshed.accessToken);
    const newToken = unwrap(await store.readAccessToken(after));
    expect(newToken).not.toBe(oldToken);
  });

  it("S20/S23: outside the coordinator the re-encryption runs in it and skips a record a refresh changed", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const staleRead = await storedRecord(handle.connectionId);

    fake.clock.advance(54 * DAY_MS);
    const outcome = await coordinatorFor(env, handle.connectionId).refresh(handle.connectionId);
    expect(outcome.status).toBe("refreshed");
    expect(callCount(fake, "refresh")).toBe(1);
    const refreshed = await storedRecord(handle.connectionId);
    expect(refreshed.accessToken).not.toBe(staleRead.accessToken);

    // A worker already on the rotated keys reads the pre-refresh record: k1 is stale to it.
    const rotated = rotatedEnv();
    const store = coordinatedStore(rotated, unwrap(loadConfig(rotated)));
    expect((await store.readAccessToken(staleRead)).ok).toBe(true);
    expect((await storedRecord(handle.connectionId)).accessToken).toBe(refreshed.accessToken);
  });

  it("S20: the write-back re-encrypts only a record that still holds what was read", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const record = await storedRecord(handle.connectionId);
    const rotated = rotatedEnv();
    const store = new ConnectionStore(env.CONNECTIONS, unwrap(loadConfig(rotated)));

    expect(await store.resealIfUnchanged(handle.connectionId, "v1.k1.not-what-is-stored")).toBe(false);
    expect((await storedRecord(handle.connectionId)).accessToken).toBe(record.accessToken);

    expect(await store.resealIfUnchanged(handle.connectionId, record.accessToken)).toBe(true);
    const rewritten = await storedRecord(handle.connectionId);
    expect(rewritten.accessToken).toMatch(/^v1\.k2\./);
    expect(await store.readAccessToken(rewritten)).toEqual(await store.readAccessToken(record));
  });
});
