import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openField, sealField } from "../src/crypto/token-vault.ts";
import type { ConnectionRecord } from "../src/storage/connection-record.ts";
import { ConnectionStore } from "../src/storage/connection-store.ts";
import { connectionKey } from "../src/storage/kv-keys.ts";
import { configWith, testKey } from "./support/config.ts";

const OLD_ONLY = `k1:${testKey(1)}`;
const ROTATED = `k2:${testKey(2)},k1:${testKey(1)}`;
const TOKEN = "IGAAtest-long-lived-token-value";
const DAY_MS = 86_400_000;

function recordFor(connectionId: string): Omit<ConnectionRecord, "accessToken"> {
  const at = new Date("2026-11-01T00:00:00Z").toISOString();
  return {
    v: 1,
    connectionId,
    status: "active",
    profile: {
      id: "27640875392278831",
      userId: "17841477965412211",
      username: "jane.doe",
      name: "Jane",
      accountType: "BUSINESS",
      profilePictureUrl: null,
      followersCount: 1,
      followsCount: 2,
      mediaCount: 3,
    },
    scopes: ["instagram_business_basic"],
    tokenIssuedAt: at,
    tokenExpiresAt: new Date(Date.now() + 60 * DAY_MS).toISOString(),
    refreshDueDate: new Date(Date.now() + 53 * DAY_MS).toISOString().slice(0, 10),
    credentialHash: "k1:x",
    connectedAt: at,
    updatedAt: at,
  };
}

describe("token vault", () => {
  const config = configWith({ TOKEN_ENCRYPTION_KEYS: OLD_ONLY });
  const context = { connectionId: "conn_AAAAAAAAAAAAAAAAAAAAAA", field: "access_token" } as const;

  it("S19: round-trips and uses a fresh IV per write (same token, different ciphertext)", async () => {
    const first = await sealField(config.vault.keys, context, TOKEN);
    const second = await sealField(config.vault.keys, context, TOKEN);
    expect(first).not.toEqual(second);
    expect(first.split(".")[2]).not.toEqual(second.split(".")[2]);
    expect(first).not.toContain(TOKEN);
    expect(first.startsWith("v1.k1.")).toBe(true);
    expect(await openField(config.vault.keys, context, first)).toEqual({
      ok: true,
      value: { plaintext: TOKEN, kid: "k1", stale: false },
    });
  });

  it("S19: tampered ciphertext fails closed", async () => {
    const sealed = await sealField(config.vault.keys, context, TOKEN);
    const parts = sealed.split(".");
    const body = parts[3] ?? "";
    const flipped = `${body.slice(0, 5)}${body[5] === "A" ? "B" : "A"}${body.slice(6)}`;
    const tampered = [parts[0], parts[1], parts[2], flipped].join(".");
    const opened = await openField(config.vault.keys, context, tampered);
    expect(opened).toMatchObject({ ok: false, failure: { code: "internal_error" } });
  });

  it("S19: a ciphertext swapped into another record fails closed", async () => {
    const sealed = await sealField(config.vault.keys, context, TOKEN);
    const other = { connectionId: "conn_BBBBBBBBBBBBBBBBBBBBBB", field: "access_token" } as const;
    expect((await openField(config.vault.keys, other, sealed)).ok).toBe(false);
  });

  it("S19: a ciphertext relabelled with another key id fails closed", async () => {
    const rotated = configWith({ TOKEN_ENCRYPTION_KEYS: ROTATED });
    const sealed = await sealField(rotated.vault.keys, context, TOKEN);
    expect((await openField(rotated.vault.keys, context, sealed.replace(".k2.", ".k1."))).ok).toBe(false);
  });

  it("S19: a swap between two stored records is refused by the store", async () => {
    const store = new ConnectionStore(env.CONNECTIONS, config);
    const a = await store.sealToken(recordFor("conn_swapAAAAAAAAAAAAAAAAAA"), "token-of-a-123456");
    const b = await store.sealToken(recordFor("conn_swapBBBBBBBBBBBBBBBBBB"), "token-of-b-123456");
    await store.put(a);
    await store.put({ ...b, accessToken: a.accessToken });
    const stored = await store.get(b.connectionId);
    expect(stored).not.toBeNull();
    const read = await store.readAccessToken(stored as ConnectionRecord);
    expect(read).toMatchObject({ ok: false, failure: { code: "reauth_required" } });
  });

  it("S20: key rotation: old records stay readable and are rewritten under the newest key id", async () => {
    const before = new ConnectionStore(env.CONNECTIONS, configWith({ TOKEN_ENCRYPTION_KEYS: OLD_ONLY }));
    const record = await before.sealToken(recordFor("conn_rotateAAAAAAAAAAAAAAAA"), TOKEN);
    await before.put(record);
    expect(
      JSON.parse((await env.CONNECTIONS.get(connectionKey(record.connectionId))) ?? "{}").accessToken,
    ).toMatch(/^v1\.k1\./);

    const after = new ConnectionStore(env.CONNECTIONS, configWith({ TOKEN_ENCRYPTION_KEYS: ROTATED }));
    const stored = (await after.get(record.connectionId)) as ConnectionRecord;
    expect(await after.readAccessToken(stored)).toEqual({ ok: true, value: TOKEN });
    const rewritten = JSON.parse((await env.CONNECTIONS.get(connectionKey(record.connectionId))) ?? "{}");
    expect(rewritten.accessToken).toMatch(/^v1\.k2\./);
    expect(await after.readAccessToken(rewritten)).toEqual({ ok: true, value: TOKEN });
  });

  it("S20: a record under a retired key fails closed instead of returning garbage", async () => {
    const store = new ConnectionStore(env.CONNECTIONS, configWith({ TOKEN_ENCRYPTION_KEYS: OLD_ONLY }));
    const record = await store.sealToken(recordFor("conn_retiredAAAAAAAAAAAAAA"), TOKEN);
    const retired = new ConnectionStore(
      env.CONNECTIONS,
      configWith({ TOKEN_ENCRYPTION_KEYS: `k2:${testKey(2)}` }),
    );
    expect(await retired.readAccessToken(record)).toMatchObject({
      ok: false,
      failure: { code: "reauth_required" },
    });
  });

  it("S21: per-purpose keys differ: the same root key gives different state and credential MACs", async () => {
    const { macWith } = await import("../src/crypto/mac.ts");
    const state = await macWith(config.vault.keys, "k1", "state-mac", "same message");
    const credential = await macWith(config.vault.keys, "k1", "credential-hash", "same message");
    expect(state).not.toEqual(credential);
  });
});
