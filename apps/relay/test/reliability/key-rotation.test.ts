import { env } from "cloudflare:workers";
import type { KeyUsageResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { getMe, getMedia } from "../cache/connected.ts";
import { connectUser, storedRecord, T0, useEmptyKv } from "../refresh/lifecycle-helpers.ts";
import { testKey } from "../support/config.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

const K1 = `k1:${testKey(1)}`;
const K2 = `k2:${testKey(2)}`;

/** Sums a full pass of the key-usage report. */
async function keyUsage(apiKey: string): Promise<KeyUsageResponse["fields"]> {
  const total: KeyUsageResponse["fields"] = { accessToken: {}, credentialHash: {} };
  let cursor: string | null = null;
  do {
    const answer = await apiFetch(`/v1/api/key-usage?limit=1${cursor ? `&cursor=${cursor}` : ""}`, apiKey);
    expect(answer.status).toBe(200);
    const page = answer.json<KeyUsageResponse>();
    for (const field of ["accessToken", "credentialHash"] as const) {
      for (const [kid, count] of Object.entries(page.fields[field])) {
        total[field][kid] = (total[field][kid] ?? 0) + count;
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

describe("key rotation with zero logouts", () => {
  it("S20: [k1] -> [k2,k1] -> use -> report says k1 is unused -> [k2]: no 401, every field under k2", async () => {
    const { fake } = ctx;
    const jane = await connectUser(fake, "jane.doe");
    const max = await connectUser(fake, "max.creator");
    const apiKey = await newApiKey();
    expect(await keyUsage(apiKey)).toEqual({ accessToken: { k1: 2 }, credentialHash: { k1: 2 } });

    faults.setVars({ TOKEN_ENCRYPTION_KEYS: `${K2},${K1}` });
    for (const handle of [jane, max]) {
      expect((await getMe(handle)).status).toBe(200);
      expect((await getMedia(handle, "?limit=2")).status).toBe(200);
    }
    expect(await keyUsage(apiKey)).toEqual({ accessToken: { k2: 2 }, credentialHash: { k2: 2 } });
    expect((await storedRecord(jane.connectionId)).credentialHash).toMatch(/^k2:/);

    faults.setVars({ TOKEN_ENCRYPTION_KEYS: K2 });
    for (const handle of [jane, max]) {
      expect((await getMe(handle)).status).toBe(200);
      expect((await getMedia(handle, "?limit=3")).status).toBe(200);
    }
  }, 30_000);

  it("S27: a location still serving the k1-era record after k1 is retired asks the coordinator: no 401", async () => {
    const { fake } = ctx;
    const jane = await connectUser(fake, "jane.doe");
    await faults.freezeKv("conn:"); // this location keeps seeing the k1 record
    faults.setVars({ TOKEN_ENCRYPTION_KEYS: `${K2},${K1}` });
    expect((await getMe(jane)).status).toBe(200);
    expect((await getMedia(jane, "?limit=2")).status).toBe(200);
    const truth = JSON.parse((await env.CONNECTIONS.get(`conn:${jane.connectionId}`)) ?? "{}");
    expect(truth.credentialHash).toMatch(/^k2:/);
    expect(truth.accessToken).toMatch(/^v1\.k2\./);

    faults.setVars({ TOKEN_ENCRYPTION_KEYS: K2 });
    // Frozen values survive setVars: this location still reads the k1-era record.
    const me = await getMe(jane);
    expect(me.status).toBe(200);
    expect((await getMedia(jane, "?limit=4")).status).toBe(200);
  });
});
