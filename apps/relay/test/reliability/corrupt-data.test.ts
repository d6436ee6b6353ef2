import { env } from "cloudflare:workers";
import type { ConnectionListResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { getMedia } from "../cache/connected.ts";
import { connectUser, storedRecord, T0, useEmptyKv, widgetStatus } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { corruptRecord } from "./helpers.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

/** Rewrites the stored record's sealed token. */
async function replaceToken(connectionId: string, edit: (sealed: string) => string): Promise<void> {
  const record = await storedRecord(connectionId);
  await env.CONNECTIONS.put(
    `conn:${connectionId}`,
    JSON.stringify({ ...record, accessToken: edit(record.accessToken) }),
  );
}

describe("undecryptable or corrupt data is a typed state", () => {
  it("a token under an unknown key id: 409 reauth_required on media and the API, /me says so, token kept", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    await replaceToken(handle.connectionId, (sealed) => sealed.replace(/^v1\.k1\./, "v1.k9."));
    const media = await getMedia(handle, "?limit=3");
    expect(media.status).toBe(409);
    expect(media.json()).toMatchObject({ error: { code: "reauth_required" } });
    expect(await widgetStatus(handle)).toBe("reauth_required");
    const key = await newApiKey();
    const api = await apiFetch(`/v1/api/connections/${handle.connectionId}/media`, key);
    expect(api.status).toBe(409);
    const one = await apiFetch(`/v1/api/connections/${handle.connectionId}`, key);
    expect(one.json()).toMatchObject({ connection: { status: "reauth_required" } });
    // Possibly only this deployment lacks k9 (a rotation in progress): the token is not dropped.
    expect((await storedRecord(handle.connectionId)).accessToken).toMatch(/^v1\.k9\./);
  });

  it("a token failing its auth tag: 409, the connection becomes reauth_required, others are untouched", async () => {
    const { fake } = ctx;
    const jane = await connectUser(fake, "jane.doe");
    const max = await connectUser(fake, "max.creator");
    await replaceToken(jane.connectionId, (sealed) => `${sealed.slice(0, -4)}AAAA`);
    const media = await getMedia(jane, "?limit=3");
    expect(media.status).toBe(409);
    expect(media.json()).toMatchObject({ error: { code: "reauth_required" } });
    const record = await storedRecord(jane.connectionId);
    expect(record).toMatchObject({ status: "reauth_required", accessToken: "" });
    expect(await widgetStatus(jane)).toBe("reauth_required");
    expect((await getMedia(max, "?limit=3")).status).toBe(200);
  });

  it("a record that is not JSON: the listing flags it and carries on, GET is 409, DELETE removes it", async () => {
    const { fake } = ctx;
    const jane = await connectUser(fake, "jane.doe");
    const max = await connectUser(fake, "max.creator");
    await corruptRecord(jane.connectionId, "{broken");
    const key = await newApiKey();
    const list = await apiFetch("/v1/api/connections", key);
    expect(list.status).toBe(200);
    const body = list.json<ConnectionListResponse>();
    expect(body.items.map((item) => item.id)).toEqual([max.connectionId]);
    expect(body.unreadable).toEqual([jane.connectionId]);
    const one = await apiFetch(`/v1/api/connections/${jane.connectionId}`, key);
    expect(one.status).toBe(409);
    expect(one.json()).toMatchObject({ error: { code: "reauth_required" } });
    expect(
      (await apiFetch(`/v1/api/connections/${jane.connectionId}`, key, { method: "DELETE" })).status,
    ).toBe(200);
    expect(await env.CONNECTIONS.get(`conn:${jane.connectionId}`)).toBeNull();
    expect(await widgetStatus(max)).toBe("active");
  });
});
