import { env } from "cloudflare:workers";
import type { FeedListResponse, FeedResponse, PublicFeed } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { runFeedSweep } from "../../src/feeds/feed-sweep.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { bucketKeys, feedJson, fetchImage, publishFeed, purgeEdgeCache, readFeed } from "./feed-support.ts";

const MINUTE_MS = 60_000;

function send(method: string, path: string, apiKey: string, body: unknown) {
  return apiFetch(path, apiKey, {
    method,
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("feeds through the app API", { timeout: 30_000 }, () => {
  const ig = useFakeInstagram({ cdnImageFormat: "png" });

  it("refuses bad input with 400 invalid_request and stores nothing", async () => {
    const { apiKey, connectionId } = await publishFeed(ig.fake, { limit: 1 });
    const before = (await env.CONNECTIONS.list({ prefix: "feed:" })).keys.length;
    const bad: unknown[] = [
      { connectionId, allowedOrigins: [SITE], limit: 0 },
      { connectionId, allowedOrigins: [SITE], limit: 51 },
      { connectionId, allowedOrigins: [SITE], limit: "12" },
      { connectionId, allowedOrigins: [SITE], limit: 2.5 },
      { connectionId, allowedOrigins: [] },
      { connectionId, allowedOrigins: ["https://app.example.com/"] },
      { connectionId, allowedOrigins: ["*"] },
      { connectionId, allowedOrigins: [SITE], mediaTypes: ["STORY"] },
      { connectionId, allowedOrigins: [SITE], mediaMode: "archive" },
      { connectionId, allowedOrigins: [SITE], extra: true },
      { connectionId: "conn_bad", allowedOrigins: [SITE] },
      "{not json",
    ];
    for (const body of bad) {
      const response = await send("POST", "/v1/api/feeds", apiKey, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
    expect((await env.CONNECTIONS.list({ prefix: "feed:" })).keys.length).toBe(before);
    const unknown = await send("POST", "/v1/api/feeds", apiKey, {
      connectionId: "conn_AAAAAAAAAAAAAAAAAAAAAA",
      allowedOrigins: [SITE],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: "connection_not_found" } });
    const huge = await send("POST", "/v1/api/feeds", apiKey, {
      connectionId,
      allowedOrigins: [SITE],
      pad: "x".repeat(20_000),
    });
    expect(huge.status).toBe(413);
  });

  it("needs feeds:write", async () => {
    const { feedId } = await publishFeed(ig.fake, { limit: 1 });
    const readOnly = await newApiKey(["connections:read", "media:read"]);
    for (const [method, path] of [
      ["GET", "/v1/api/feeds"],
      ["GET", `/v1/api/feeds/${feedId}`],
      ["DELETE", `/v1/api/feeds/${feedId}`],
    ] as const) {
      const response = await apiFetch(path, readOnly, { method });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect((await apiFetch("/v1/api/feeds", null)).status).toBe(401);
  });

  it("lists, reads and changes a feed; a smaller limit deletes the copies that left", async () => {
    const { apiKey, feedId, connectionId } = await publishFeed(ig.fake, { limit: 5, includeCaptions: false });
    const listed = (await apiFetch("/v1/api/feeds?limit=100", apiKey)).json<FeedListResponse>();
    expect(listed.items.map((feed) => feed.feedId)).toContain(feedId);
    const read = (await apiFetch(`/v1/api/feeds/${feedId}`, apiKey)).json<FeedResponse>();
    expect(read.feed).toMatchObject({ connectionId, limit: 5, includeCaptions: false, mediaMode: "copy" });
    expect((await feedJson(feedId)).items.every((item) => item.caption === null)).toBe(true);

    const patched = await send("PATCH", `/v1/api/feeds/${feedId}`, apiKey, {
      limit: 2,
      includeCaptions: true,
    });
    expect(patched.status).toBe(200);
    expect(patched.json<FeedResponse>().feed).toMatchObject({
      limit: 2,
      includeCaptions: true,
      allowedOrigins: [SITE],
    });
    const feed = await feedJson(feedId);
    expect(feed.items).toHaveLength(2);
    expect(feed.items.some((item) => item.caption !== null)).toBe(true);
    expect(await bucketKeys(feedId)).toEqual(feed.items.map((item) => `feeds/${feedId}/${item.id}`).sort());
    expect((await send("PATCH", `/v1/api/feeds/${feedId}`, apiKey, { limit: 0 })).status).toBe(400);
    const missing = await send("PATCH", "/v1/api/feeds/feed_AAAAAAAAAAAAAAAAAAAAAA", apiKey, { limit: 3 });
    expect(missing.json()).toMatchObject({ error: { code: "feed_not_found" } });
  });

  it("disconnecting the account removes its feeds and every R2 object", async () => {
    const { apiKey, feedId, connectionId } = await publishFeed(ig.fake);
    expect(await bucketKeys(feedId)).toHaveLength(12);
    const response = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await bucketKeys(feedId)).toEqual([]);
    expect((await env.CONNECTIONS.list({ prefix: `feedconn:${connectionId}:` })).keys).toEqual([]);
    expect(await env.CONNECTIONS.get(`feedsnap:${feedId}`)).toBeNull();
    expect((await readFeed(feedId)).json()).toMatchObject({ error: { code: "feed_not_found" } });
  });

  it("Meta's deauthorize callback removes the account's feeds and R2 objects too", async () => {
    const { feedId, user } = await publishFeed(ig.fake, { limit: 3 });
    expect(await bucketKeys(feedId)).toHaveLength(3);
    const response = await relayFetch("/v1/meta/deauthorize", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        signed_request: await ig.fake.signedRequest({ userId: user.id }),
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await bucketKeys(feedId)).toEqual([]);
    expect((await readFeed(feedId)).status).toBe(404);
  });
});

describe("feed freshness", { timeout: 30_000 }, () => {
  const ig = useFakeInstagram({ cdnImageFormat: "png" });

  it("the cron picks up a new post and deletes the copy of the one that left", async () => {
    const { feedId, user } = await publishFeed(ig.fake, { limit: 3 });
    const before = await feedJson(feedId);
    const newest = { ...structuredClone(user.media[0]), id: "17890000000000999", caption: "brand new" };
    user.media.unshift(newest as (typeof user.media)[number]);
    // Not due yet: nothing changes.
    await runFeedSweep(env);
    expect((await bucketKeys(feedId)).some((key) => key.endsWith(newest.id))).toBe(false);
    ig.fake.clock.advance(16 * MINUTE_MS);
    const report = await runFeedSweep(env);
    expect(report.refreshed).toBeGreaterThanOrEqual(1);
    const keys = await bucketKeys(feedId);
    const expected = [newest.id, ...before.items.slice(0, 2).map((item) => item.id)];
    expect(keys).toEqual(expected.map((id) => `feeds/${feedId}/${id}`).sort());
    const after = await env.CONNECTIONS.get<{ items: { id: string }[] }>(`feedsnap:${feedId}`, "json");
    expect(after?.items.map((item) => item.id)).toEqual(expected);
  });

  it("a failed refresh keeps serving the last good feed and says so", async () => {
    const { feedId } = await publishFeed(ig.fake, { limit: 4 });
    const good = await feedJson(feedId);
    ig.fake.faults.inject({ endpoint: "media", kind: "http_5xx", times: 10 });
    // Past both the feed's refresh interval and the media read cache.
    ig.fake.clock.advance(20 * MINUTE_MS);
    await runFeedSweep(env);
    await purgeEdgeCache(feedId);
    const stale = await feedJson(feedId);
    expect(stale).toMatchObject({
      status: "upstream_unavailable",
      stale: true,
      refreshedAt: good.refreshedAt,
    });
    expect(stale.items).toEqual(good.items);
    expect(await bucketKeys(feedId)).toHaveLength(4);
    const image = await fetchImage(good.items[0]?.imageUrl ?? "");
    expect(image.status).toBe(200);
    await image.body?.cancel();
  });

  it("a feed of a reauth_required connection serves its last good copy with status reauth_required", async () => {
    const { feedId } = await publishFeed(ig.fake, { limit: 4 });
    const good = await feedJson(feedId);
    // Past the long-lived token's 60 days: the connection needs a new consent.
    ig.fake.clock.advance(61 * 24 * 60 * MINUTE_MS);
    await purgeEdgeCache(feedId);
    const response = await readFeed(feedId);
    expect(response.status).toBe(200);
    const feed = response.json<PublicFeed>();
    expect(feed).toMatchObject({ status: "reauth_required", stale: true, refreshedAt: good.refreshedAt });
    expect(feed.items.map((item) => item.id)).toEqual(good.items.map((item) => item.id));
  });
});

describe("proxy mode", { timeout: 30_000 }, () => {
  const ig = useFakeInstagram({ cdnImageFormat: "png" });

  it("stores no bytes and streams each image through", async () => {
    const { feedId, apiKey } = await publishFeed(ig.fake, { limit: 3, mediaMode: "proxy" });
    const feed = await feedJson(feedId);
    expect(feed.items).toHaveLength(3);
    expect(await bucketKeys(feedId)).toEqual([]);
    const image = await fetchImage(feed.items[0]?.imageUrl ?? "");
    expect(image.status).toBe(200);
    expect(image.headers.get("Content-Type")).toBe("image/png");
    expect(image.headers.get("Cache-Control")).toMatch(/^public, max-age=\d+$/);
    await image.body?.cancel();
    // Switching to copy mode copies; switching back deletes the copies.
    await send("PATCH", `/v1/api/feeds/${feedId}`, apiKey, { mediaMode: "copy" });
    expect(await bucketKeys(feedId)).toHaveLength(3);
    await send("PATCH", `/v1/api/feeds/${feedId}`, apiKey, { mediaMode: "proxy" });
    expect(await bucketKeys(feedId)).toEqual([]);
  });
});
