import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { CREDENTIAL_CACHE_TTL_MS } from "../../src/storage/credential-cache.ts";
import { connectionKey } from "../../src/storage/kv-keys.ts";
import { countingKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { SITE } from "../support/relay.ts";
import { connect, freshUser, getMe } from "./connected.ts";

const ctx = useFakeInstagram();

describe("widget credential cache (per isolate, bounded revocation delay)", () => {
  it("a cache hit reads nothing from KV: no record read, the fresh profile from this isolate", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    expect((await getMe(handle)).status).toBe(200);
    const { kv: counting, gets: keys } = countingKv(env.CONNECTIONS);
    const app = createApp();
    const res = await app.request(
      "/v1/connections/me",
      { headers: { Origin: SITE, Authorization: `Bearer ${handle.credential}` } },
      { ...env, CONNECTIONS: counting },
    );
    expect(res.status).toBe(200);
    expect(keys).toEqual([]);
  });

  it("a disconnected credential is refused in the same isolate at once", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    expect((await getMe(handle)).status).toBe(200);
    const headers = { Origin: SITE, Authorization: `Bearer ${handle.credential}` };
    const app = createApp();
    expect((await app.request("/v1/connections/me", { method: "DELETE", headers }, env)).status).toBe(200);
    expect((await getMe(handle)).status).toBe(401);
  });

  it("S31: after a reconnect the cached earlier credential and the new one both work; a disconnect refuses both at once", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const first = await connect(fake, user);
    expect((await getMe(first)).status).toBe(200);
    const second = await connect(fake, user);
    expect(second.connectionId).toBe(first.connectionId);
    expect((await getMe(first)).status).toBe(200);
    expect((await getMe(second)).status).toBe(200);
    const headers = { Origin: SITE, Authorization: `Bearer ${second.credential}` };
    expect((await createApp().request("/v1/connections/me", { method: "DELETE", headers }, env)).status).toBe(
      200,
    );
    expect((await getMe(first)).status).toBe(401);
    expect((await getMe(second)).status).toBe(401);
  });

  it("a removal this isolate never saw is honoured within CREDENTIAL_CACHE_TTL_MS", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    expect((await getMe(handle)).status).toBe(200);
    // Another isolate removed the record: this one's cache was not told.
    await env.CONNECTIONS.delete(connectionKey(handle.connectionId));
    expect((await getMe(handle)).status).toBe(200);
    fake.clock.advance(CREDENTIAL_CACHE_TTL_MS);
    expect((await getMe(handle)).status).toBe(401);
  });
});
