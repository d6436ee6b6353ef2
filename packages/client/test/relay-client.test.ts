import type { ConnectionListResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { createRelayClient } from "../src/index.ts";

const apiKey = "key_AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

/** An in-test receiver standing in for the relay: records requests, answers from a table. */
function receiver(answer: (request: Request) => Response) {
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request);
    return answer(request);
  };
  return { seen, fetch };
}

describe("createRelayClient", () => {
  it("sends the key only in the Authorization header and builds each route's URL", async () => {
    const list: ConnectionListResponse = { items: [], unreadable: [], nextCursor: null };
    const relay = receiver(() => Response.json(list));
    const client = createRelayClient({ baseUrl: "https://relay.test/", apiKey, fetch: relay.fetch });

    expect(await client.listConnections({ limit: 10, cursor: "abc" })).toEqual({
      ok: true,
      status: 200,
      data: list,
    });
    await client.getConnection("conn_1");
    await client.disconnect("conn_1");
    await client.listMedia("conn_1", { after: "c1" });
    await client.listAuditEvents("conn_1");
    await client.getAccessToken("conn_1");
    await client.graph("conn_1", "/me/media", { fields: "id,caption", limit: 5 });
    await client.getUsage();
    await client.getUsage({ keyId: "key_0123456789abcdefghijkl", window: "day" });
    await client.getConnectionUsage("conn_1", { window: "hour" });
    await client.getHealth({ limit: 5, cursor: "c2" });
    await client.listDeadLetters("conn_1");
    await client.replayDeadLetter("conn_1", "evt_1");
    await client.listKeyDeadLetters("key_1");
    await client.replayKeyDeadLetter("key_1", "evt_2");

    expect(relay.seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET https://relay.test/v1/api/connections?limit=10&cursor=abc",
      "GET https://relay.test/v1/api/connections/conn_1",
      "DELETE https://relay.test/v1/api/connections/conn_1",
      "GET https://relay.test/v1/api/connections/conn_1/media?after=c1",
      "GET https://relay.test/v1/api/connections/conn_1/audit",
      "GET https://relay.test/v1/api/connections/conn_1/token",
      "GET https://relay.test/v1/api/connections/conn_1/graph/me/media?fields=id%2Ccaption&limit=5",
      "GET https://relay.test/v1/api/usage",
      "GET https://relay.test/v1/api/usage?keyId=key_0123456789abcdefghijkl&window=day",
      "GET https://relay.test/v1/api/connections/conn_1/usage?window=hour",
      "GET https://relay.test/v1/api/health?limit=5&cursor=c2",
      "GET https://relay.test/v1/api/connections/conn_1/webhooks/dead-letters",
      "POST https://relay.test/v1/api/connections/conn_1/webhooks/dead-letters/evt_1/replay",
      "GET https://relay.test/v1/api/keys/key_1/webhooks/dead-letters",
      "POST https://relay.test/v1/api/keys/key_1/webhooks/dead-letters/evt_2/replay",
    ]);
    for (const request of relay.seen) {
      expect(request.headers.get("Authorization")).toBe(`Bearer ${apiKey}`);
      expect(request.url).not.toContain(apiKey.slice(4, 20));
    }
  });

  it("returns the relay's error body as a typed RelayError value", async () => {
    const relay = receiver(() =>
      Response.json(
        { error: { code: "forbidden", message: "These credentials are not allowed to do this." } },
        { status: 403 },
      ),
    );
    const result = await createRelayClient({
      baseUrl: "https://relay.test",
      apiKey,
      fetch: relay.fetch,
    }).getConnection("conn_1");
    expect(result).toEqual({
      ok: false,
      status: 403,
      error: { code: "forbidden", message: "These credentials are not allowed to do this." },
    });
  });

  it("turns a non-contract answer (a proxy's HTML 502) into internal_error", async () => {
    const relay = receiver(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const result = await createRelayClient({
      baseUrl: "https://relay.test",
      apiKey,
      fetch: relay.fetch,
    }).listConnections();
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe("internal_error");
    expect(result.status).toBe(502);
  });
});

describe("connect sessions in the client", () => {
  it("creates a session with a JSON body, lists one end user's connections and patches metadata", async () => {
    const relay = receiver((request) =>
      request.method === "POST"
        ? Response.json(
            { token: "ics_x.y", expiresAt: "2026-12-01T12:30:00.000Z", sessionId: "x" },
            { status: 201 },
          )
        : Response.json({ items: [], nextCursor: null }),
    );
    const client = createRelayClient({ baseUrl: "https://relay.test", apiKey, fetch: relay.fetch });
    const session = await client.createConnectSession({ endUser: { id: "user a/1" }, ttlSeconds: 600 });
    expect(session).toMatchObject({ ok: true, status: 201, data: { token: "ics_x.y" } });
    await client.listConnections({ endUserId: "user a/1" });
    await client.updateMetadata("conn_1", { plan: "pro" });
    expect(relay.seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST https://relay.test/v1/api/connect-sessions",
      "GET https://relay.test/v1/api/end-users/user%20a%2F1/connections",
      "PATCH https://relay.test/v1/api/connections/conn_1",
    ]);
    expect(await relay.seen[0]?.json()).toEqual({ endUser: { id: "user a/1" }, ttlSeconds: 600 });
    expect(relay.seen[0]?.headers.get("Content-Type")).toBe("application/json");
    expect(await relay.seen[2]?.json()).toEqual({ metadata: { plan: "pro" } });
  });

  it("listConnections sends metadata tags as repeated tag=key:value, with or without an end user", async () => {
    const relay = receiver(() => Response.json({ items: [], unreadable: [], nextCursor: null }));
    const client = createRelayClient({ baseUrl: "https://relay.test", apiKey, fetch: relay.fetch });
    await client.listConnections({ endUserId: "user a/1", tags: { plan: "pro", seats: 3, beta: true } });
    await client.listConnections({ limit: 10, tags: { note: "a:b & c" } });
    await client.listConnections({ endUserId: "u", tags: {} });
    expect(relay.seen.map((request) => request.url)).toEqual([
      "https://relay.test/v1/api/connections?endUserId=user+a%2F1&tag=plan%3Apro&tag=seats%3A3&tag=beta%3Atrue",
      "https://relay.test/v1/api/connections?limit=10&tag=note%3Aa%3Ab+%26+c",
      "https://relay.test/v1/api/end-users/u/connections",
    ]);
  });
});
