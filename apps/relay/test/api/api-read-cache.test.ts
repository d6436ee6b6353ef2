import { env } from "cloudflare:workers";
import type { ConnectionView } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { CREDENTIAL_CACHE_TTL_MS } from "../../src/storage/credential-cache.ts";
import { connectionKey } from "../../src/storage/kv-keys.ts";
import { freshUser } from "../cache/connected.ts";
import { countingKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { apiFetch, connectUser, newApiKey } from "./api-support.ts";

// A fixed clock, so the bound is checked to the millisecond.
const T0 = Date.parse("2026-12-01T09:00:00Z");
const ctx = useFakeInstagram({ now: () => T0 });

const view = async (apiKey: string, connectionId: string) => {
  const response = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey);
  return { status: response.status, connection: response.json<{ connection?: ConnectionView }>().connection };
};

/** Changes the stored record the way another isolate's write would reach this one: KV only. */
async function changeElsewhere(connectionId: string, metadata: Record<string, string>): Promise<void> {
  const stored = JSON.parse((await env.CONNECTIONS.get(connectionKey(connectionId))) ?? "{}");
  await env.CONNECTIONS.put(connectionKey(connectionId), JSON.stringify({ ...stored, metadata }));
}

describe("app API connection read (per isolate, bounded staleness)", () => {
  it("a connection read again within the bound reads no KV", async () => {
    const { connectionId } = await connectUser(ctx.fake, freshUser(ctx.fake).id);
    const apiKey = await newApiKey(["connections:read"]);
    expect((await view(apiKey, connectionId)).status).toBe(200);
    const { kv: counting, gets: keys } = countingKv(env.CONNECTIONS);
    const res = await createApp().request(
      `https://relay.test/v1/api/connections/${connectionId}`,
      { headers: { Authorization: `Bearer ${apiKey}` } },
      { ...env, CONNECTIONS: counting },
    );
    expect(res.status).toBe(200);
    expect(keys).toEqual([]);
  });

  it("a change written elsewhere is served once CREDENTIAL_CACHE_TTL_MS has passed, not later", async () => {
    const { fake } = ctx;
    const { connectionId } = await connectUser(fake, freshUser(fake).id);
    const apiKey = await newApiKey(["connections:read"]);
    expect((await view(apiKey, connectionId)).connection?.metadata).toBeNull();
    await changeElsewhere(connectionId, { plan: "pro" });
    fake.clock.advance(CREDENTIAL_CACHE_TTL_MS - 1);
    expect((await view(apiKey, connectionId)).connection?.metadata).toBeNull();
    fake.clock.advance(1);
    expect((await view(apiKey, connectionId)).connection?.metadata).toEqual({ plan: "pro" });
  });

  it("a PATCH and a DELETE through the app API are seen by the next read at once", async () => {
    const { connectionId } = await connectUser(ctx.fake, freshUser(ctx.fake).id);
    const apiKey = await newApiKey();
    expect((await view(apiKey, connectionId)).connection?.metadata).toBeNull();
    const patched = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, {
      method: "PATCH",
      body: JSON.stringify({ metadata: { plan: "team" } }),
    });
    expect(patched.status).toBe(200);
    expect((await view(apiKey, connectionId)).connection?.metadata).toEqual({ plan: "team" });
    expect((await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, { method: "DELETE" })).status).toBe(
      200,
    );
    expect((await view(apiKey, connectionId)).status).toBe(404);
  });

  it("a PATCH answered by a coordinator in another isolate is still seen by this isolate's next read", async () => {
    // In these tests the coordinator shares the worker's isolate (and its cache); in production it
    // does not. This coordinator writes KV the way a remote one would, without touching the cache.
    const { connectionId } = await connectUser(ctx.fake, freshUser(ctx.fake).id);
    const apiKey = await newApiKey();
    const remote = {
      getByName: () => ({
        async updateMetadata(id: string, metadata: Record<string, string>) {
          await changeElsewhere(id, metadata);
          return { id, metadata };
        },
      }),
    };
    const app = createApp();
    const relayEnv = { ...env, CONNECTION_COORDINATOR: remote };
    const call = (init: RequestInit = {}) =>
      app.request(
        `https://relay.test/v1/api/connections/${connectionId}`,
        { ...init, headers: { Authorization: `Bearer ${apiKey}`, ...init.headers } },
        relayEnv,
      );
    expect((await (await call()).json<{ connection: ConnectionView }>()).connection.metadata).toBeNull();
    const patched = await call({
      method: "PATCH",
      body: JSON.stringify({ metadata: { plan: "team" } }),
      headers: { "Content-Type": "application/json" },
    });
    expect(patched.status).toBe(200);
    expect((await (await call()).json<{ connection: ConnectionView }>()).connection.metadata).toEqual({
      plan: "team",
    });
  });
});
