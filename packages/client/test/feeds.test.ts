import type { PublicFeed } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { createRelayClient, getInstagramFeed } from "../src/index.ts";

const apiKey = "key_AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
const FEED_ID = "feed_AAAAAAAAAAAAAAAAAAAAAA";

function receiver(answer: (request: Request) => Response) {
  const seen: { method: string; url: string; body: string; type: string | null; auth: string | null }[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: request.url,
      body: await request.text(),
      type: request.headers.get("Content-Type"),
      auth: request.headers.get("Authorization"),
    });
    return answer(request);
  };
  return { seen, fetch };
}

describe("feeds in the client", () => {
  it("manages feeds with JSON bodies on the app API", async () => {
    const relay = receiver(() => Response.json({ feed: { feedId: FEED_ID } }));
    const client = createRelayClient({ baseUrl: "https://relay.test", apiKey, fetch: relay.fetch });
    await client.createFeed({ connectionId: "conn_1", allowedOrigins: ["https://site.test"], limit: 12 });
    await client.listFeeds({ limit: 5 });
    await client.getFeed(FEED_ID);
    await client.updateFeed(FEED_ID, { includeCaptions: false });
    await client.deleteFeed(FEED_ID);
    expect(relay.seen.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST https://relay.test/v1/api/feeds {"connectionId":"conn_1","allowedOrigins":["https://site.test"],"limit":12}',
      "GET https://relay.test/v1/api/feeds?limit=5 ",
      `GET https://relay.test/v1/api/feeds/${FEED_ID} `,
      `PATCH https://relay.test/v1/api/feeds/${FEED_ID} {"includeCaptions":false}`,
      `DELETE https://relay.test/v1/api/feeds/${FEED_ID} `,
    ]);
    expect(relay.seen[0]?.type).toBe("application/json");
    expect(relay.seen.every((r) => r.auth === `Bearer ${apiKey}`)).toBe(true);
  });

  it("getInstagramFeed reads the public feed without a key, failures as values", async () => {
    const feed: PublicFeed = {
      feedId: FEED_ID,
      username: "jane.doe",
      items: [],
      refreshedAt: "2026-12-01T00:00:00.000Z",
      stale: false,
      status: "ok",
    };
    const ok = receiver(() => Response.json(feed));
    expect(
      await getInstagramFeed({ relayUrl: "https://relay.test/", feedId: FEED_ID, fetch: ok.fetch }),
    ).toEqual({
      ok: true,
      status: 200,
      data: feed,
    });
    expect(ok.seen[0]).toMatchObject({
      method: "GET",
      url: `https://relay.test/v1/feeds/${FEED_ID}`,
      auth: null,
    });
    const missing = receiver(() =>
      Response.json({ error: { code: "feed_not_found", message: "gone" } }, { status: 404 }),
    );
    expect(
      await getInstagramFeed({ relayUrl: "https://relay.test", feedId: FEED_ID, fetch: missing.fetch }),
    ).toEqual({
      ok: false,
      status: 404,
      error: { code: "feed_not_found", message: "gone" },
    });
  });
});
