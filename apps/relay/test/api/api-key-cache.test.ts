import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { API_KEY_CACHE_TTL_MS } from "../../src/api/api-key-cache.ts";
import { apiKeyId, apiKeyKvKey } from "../../src/api/api-key-format.ts";
import { readApiKey, revokeApiKey } from "../../src/api/api-key-store.ts";
import { createApp } from "../../src/app.ts";
import { countingKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { apiFetch, newApiKey, UNKNOWN_CONNECTION } from "./api-support.ts";

// A fixed clock, so the bound is checked to the millisecond.
const T0 = Date.parse("2026-12-01T09:00:00Z");
const ctx = useFakeInstagram({ now: () => T0 });
const LIST = "/v1/api/connections";

/** Revokes the key the way another isolate or the `api-key revoke` command does: KV only. */
async function revokeElsewhere(apiKey: string): Promise<void> {
  const keyId = apiKeyId(apiKey) ?? "";
  const record = await readApiKey(env.CONNECTIONS, keyId);
  await env.CONNECTIONS.put(apiKeyKvKey(keyId), JSON.stringify({ ...record, revoked: true }));
}

describe("API key cache (per isolate, bounded revocation delay)", () => {
  it("a cached key reads nothing from KV for its check", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    expect((await apiFetch(LIST, apiKey)).status).toBe(200);
    const { kv: counting, gets: keys } = countingKv(env.CONNECTIONS);
    const res = await createApp().request(
      `https://relay.test/v1/api/connections/${UNKNOWN_CONNECTION}`,
      { headers: { Authorization: `Bearer ${apiKey}` } },
      { ...env, CONNECTIONS: counting },
    );
    expect(res.status).toBe(404);
    expect(keys.filter((key) => key.startsWith("apikey:"))).toEqual([]);
  });

  it("a key revoked elsewhere is refused once API_KEY_CACHE_TTL_MS has passed, not later", async () => {
    const { fake } = ctx;
    const apiKey = await newApiKey(["connections:read"]);
    expect((await apiFetch(LIST, apiKey)).status).toBe(200);
    await revokeElsewhere(apiKey);
    // The documented trade: inside the bound this isolate still accepts it...
    fake.clock.advance(API_KEY_CACHE_TTL_MS - 1);
    expect((await apiFetch(LIST, apiKey)).status).toBe(200);
    // ...and not a moment after.
    fake.clock.advance(1);
    expect((await apiFetch(LIST, apiKey)).status).toBe(401);
  });

  it("a key revoked through this relay is refused at once", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    expect((await apiFetch(LIST, apiKey)).status).toBe(200);
    await revokeApiKey(env.CONNECTIONS, apiKeyId(apiKey) ?? "");
    expect((await apiFetch(LIST, apiKey)).status).toBe(401);
  });

  it("a wrong secret for a cached key id is refused (the cache compares the hash)", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    expect((await apiFetch(LIST, apiKey)).status).toBe(200);
    const [id, secret = ""] = apiKey.split(".");
    const wrong = `${id}.${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect((await apiFetch(LIST, wrong)).status).toBe(401);
  });
});
