import { env } from "cloudflare:workers";
import type { ApiOperation, ErrorBody } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { apiKeyId, hashApiKey } from "../../src/api/api-key-format.ts";
import { readApiKey } from "../../src/api/api-key-store.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { SITE } from "../support/relay.ts";
import { apiFetch, connectUser, newApiKey, revokedApiKey } from "./api-support.ts";

const ctx = useFakeInstagram();

/** Every API route with the operation it needs (graph and media reach the fake Instagram). */
function routes(id: string): { method: string; path: string; operation: ApiOperation }[] {
  const base = `/v1/api/connections/${id}`;
  return [
    { method: "GET", path: "/v1/api/connections", operation: "connections:read" },
    { method: "GET", path: base, operation: "connections:read" },
    { method: "DELETE", path: base, operation: "connections:delete" },
    { method: "GET", path: `${base}/media`, operation: "media:read" },
    { method: "GET", path: `${base}/audit`, operation: "audit:read" },
    { method: "GET", path: `${base}/token`, operation: "token:read" },
    { method: "GET", path: `${base}/graph/me?fields=username`, operation: "graph:read" },
  ];
}

describe("API keys (S14)", () => {
  it("S14: no key, a malformed key, an unknown key, a wrong secret and a revoked key all get the same 401", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const good = await newApiKey();
    const id = apiKeyId(good) ?? "";
    const wrongSecret = `${id}.${"A".repeat(43)}`;
    const unknown = `key_${"B".repeat(22)}.${"C".repeat(43)}`;
    const revoked = await revokedApiKey();
    for (const route of routes(connectionId)) {
      for (const key of [null, "not-a-key", unknown, wrongSecret, revoked]) {
        const response = await apiFetch(route.path, key, { method: route.method });
        expect(response.status, `${route.method} ${route.path} with ${key?.slice(0, 8)}`).toBe(401);
        expect(response.json<ErrorBody>().error.code).toBe("unauthorized");
        expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
      }
    }
  });

  it("S14: stores only the SHA-256 of the key; the key appears in no KV name or value (S22)", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    const keyId = apiKeyId(apiKey) ?? "";
    const record = await readApiKey(env.CONNECTIONS, keyId);
    expect(record?.hash).toBe(await hashApiKey(apiKey));
    expect(record?.operations).toEqual(["connections:read"]);
    const secretPart = apiKey.split(".")[1] ?? "";
    expect(secretPart).toHaveLength(43); // 256 bits
    const listed = await env.CONNECTIONS.list();
    for (const key of listed.keys) {
      expect(key.name).not.toContain(secretPart);
      expect((await env.CONNECTIONS.get(key.name)) ?? "").not.toContain(secretPart);
    }
  });

  it("S14: a key in the URL is refused (400), even with a valid header", async () => {
    const apiKey = await newApiKey();
    const response = await apiFetch(`/v1/api/connections?api_key=${encodeURIComponent(apiKey)}`, apiKey);
    expect(response.status).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe("invalid_request");
  });

  it("a key without a route's operation gets 403 forbidden on that route", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    for (const route of routes(connectionId)) {
      const others = (
        [
          "connections:read",
          "connections:delete",
          "media:read",
          "audit:read",
          "token:read",
          "graph:read",
        ] as const
      ).filter((operation) => operation !== route.operation);
      const response = await apiFetch(route.path, await newApiKey(others), { method: route.method });
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe("forbidden");
    }
    // The connection survived the refused DELETE.
    const still = await apiFetch(
      `/v1/api/connections/${connectionId}`,
      await newApiKey(["connections:read"]),
    );
    expect(still.status).toBe(200);
  });

  it("S15: a widget credential is not an API key, and an API key is not a widget credential", async () => {
    const { connectionId, credential } = await connectUser(ctx.fake);
    const asApi = await apiFetch(`/v1/api/connections/${connectionId}`, credential);
    expect(asApi.status).toBe(401);
    const apiKey = await newApiKey();
    const asWidget = await apiFetch("/v1/connections/me", apiKey, { headers: { Origin: SITE } });
    expect(asWidget.status).toBe(401);
  });

  it("S16: API routes send no CORS headers, for allowed origins, preflights and errors alike", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const apiKey = await newApiKey();
    const answers = [
      await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, { headers: { Origin: SITE } }),
      await apiFetch("/v1/api/connections", null, { headers: { Origin: SITE } }),
      await apiFetch("/v1/api/connections", null, {
        method: "OPTIONS",
        headers: { Origin: SITE, "Access-Control-Request-Method": "GET" },
      }),
    ];
    expect(answers[0]?.status).toBe(200);
    for (const answer of answers) {
      const cors = [...answer.headers.keys()].filter((name) => name.startsWith("access-control-"));
      expect(cors).toEqual([]);
    }
  });

  it("S18: API answers carry the api family's rate-limit headers, keyed by key id", async () => {
    // A frozen relay clock: nothing refills between the two requests however slow the machine.
    const frozen = Date.now();
    setClockForTests(() => frozen);
    const apiKey = await newApiKey(["connections:read"]);
    const first = await apiFetch("/v1/api/connections?limit=1", apiKey);
    const second = await apiFetch("/v1/api/connections?limit=1", apiKey);
    expect(first.headers.get("RateLimit-Policy")).toBe('"api";q=600;w=60');
    const remaining = (response: typeof first) =>
      Number(/r=(\d+)/.exec(response.headers.get("RateLimit") ?? "")?.[1]);
    expect(remaining(second)).toBe(remaining(first) - 1);
    // Another key has its own bucket.
    const other = await apiFetch("/v1/api/connections?limit=1", await newApiKey(["connections:read"]));
    expect(remaining(other)).toBe(remaining(first));
  });
});
