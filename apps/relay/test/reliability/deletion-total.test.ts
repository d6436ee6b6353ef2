import { env } from "cloudflare:workers";
import type { DataDeletionResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { getMedia } from "../cache/connected.ts";
import { connectUser, T0, useEmptyKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { allKvKeys, coordinatorKeys, corruptRecord } from "./helpers.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

const JANE_USER_ID = "17841477965412211";

function meta(path: string, signedRequest: string) {
  return relayFetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ signed_request: signedRequest }).toString(),
  });
}

/** What is left besides the audit trail, Meta's deletion status and API keys (none names the user). */
async function leftOver(): Promise<string[]> {
  return (await allKvKeys()).filter((key) => !/^(audit|deletion|apikey):/.test(key));
}

describe("deletion is total", () => {
  it.each(["widget disconnect", "api disconnect", "meta deauthorize", "meta data deletion"])(
    "%s leaves only the audit trail in KV and nothing in the coordinator",
    async (how) => {
      const { fake } = ctx;
      const handle = await connectUser(fake);
      expect((await getMedia(handle)).status).toBe(200); // fills cache: entries
      expect((await allKvKeys()).some((key) => key.startsWith("cache:"))).toBe(true);
      if (how === "widget disconnect") {
        const answer = await relayFetch("/v1/connections/me", {
          method: "DELETE",
          headers: { Origin: SITE, Authorization: `Bearer ${handle.credential}` },
        });
        expect(answer.status).toBe(200);
      } else if (how === "api disconnect") {
        const answer = await apiFetch(`/v1/api/connections/${handle.connectionId}`, await newApiKey(), {
          method: "DELETE",
        });
        expect(answer.status).toBe(200);
      } else {
        const path = how === "meta deauthorize" ? "/v1/meta/deauthorize" : "/v1/meta/data-deletion";
        expect((await meta(path, await fake.signedRequest({ userId: JANE_USER_ID }))).status).toBe(200);
      }
      expect(await leftOver()).toEqual([]);
      expect(await coordinatorKeys(handle.connectionId)).toEqual([]);
    },
  );

  it("Meta data deletion removes a record that is not JSON, and every index, and says data was found", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    await corruptRecord(handle.connectionId, "{not json");
    const answer = await meta("/v1/meta/data-deletion", await fake.signedRequest({ userId: JANE_USER_ID }));
    expect(answer.status).toBe(200);
    const status = await relayFetch(
      `/v1/meta/deletion-status/${answer.json<DataDeletionResponse>().confirmation_code}`,
      { headers: { Accept: "application/json" } },
    );
    expect(status.json()).toMatchObject({ status: "completed", dataFound: true });
    expect(await leftOver()).toEqual([]);
  });

  it("Meta data deletion removes a record with missing fields and every index", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const raw = JSON.parse((await env.CONNECTIONS.get(`conn:${handle.connectionId}`)) ?? "{}");
    delete raw.profile;
    delete raw.refreshDueDate;
    await corruptRecord(handle.connectionId, JSON.stringify(raw));
    const answer = await meta("/v1/meta/data-deletion", await fake.signedRequest({ userId: JANE_USER_ID }));
    expect(answer.status).toBe(200);
    const code = answer.json<DataDeletionResponse>().confirmation_code;
    expect(JSON.parse((await env.CONNECTIONS.get(`deletion:${code}`)) ?? "{}").dataFound).toBe(true);
    expect(await leftOver()).toEqual([]);
  });

  it("a removal whose KV delete fails half way is completed by the next removal", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    faults.kv({ method: "delete", prefix: "iguser:", effect: "fail" });
    const first = await meta("/v1/meta/deauthorize", await fake.signedRequest({ userId: JANE_USER_ID }));
    expect(first.status).toBe(500);
    expect(faults.injected).toBe(1);
    const second = await meta("/v1/meta/deauthorize", await fake.signedRequest({ userId: JANE_USER_ID }));
    expect(second.status).toBe(200);
    expect(await leftOver()).toEqual([]);
    expect(await coordinatorKeys(handle.connectionId)).toEqual([]);
  });
});
