import { env } from "cloudflare:workers";
import type { PublicFeed } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { urlExpiry } from "../../src/cache/read-cache.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { RELAY, relayFetch, SITE } from "../support/relay.ts";
import { bucketKeys, feedJson, fetchImage, publishFeed, readFeed } from "./feed-support.ts";

const DAY_MS = 86_400_000;

// Each test connects an account and copies a dozen images: more than the 5 s default on a busy machine.
describe("public feed GET /v1/feeds/:feedId", { timeout: 30_000 }, () => {
  const ig = useFakeInstagram({ cdnImageFormat: "png" });

  it("shows the newest 12 posts with images served from the relay's R2 copies", async () => {
    const { feedId, user } = await publishFeed(ig.fake);
    const feed = await feedJson(feedId);
    expect(feed.username).toBe(user.username);
    expect(feed.items).toHaveLength(12);
    expect(feed.items.map((item) => item.id)).toEqual(user.media.slice(0, 12).map((m) => m.id));
    expect(feed).toMatchObject({ stale: false, status: "ok" });
    for (const item of feed.items) {
      expect(item.imageUrl).toBe(`${RELAY}/v1/feeds/${feedId}/media/${item.id}`);
    }
    expect(await bucketKeys(feedId)).toEqual(feed.items.map((item) => `feeds/${feedId}/${item.id}`).sort());
    const image = await fetchImage(feed.items[0]?.imageUrl ?? "");
    expect(image.status).toBe(200);
    expect(image.headers.get("Content-Type")).toBe("image/png");
    expect(image.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(image.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin");
    expect(new Uint8Array(await image.arrayBuffer()).slice(1, 4)).toEqual(new TextEncoder().encode("PNG"));
  });

  it("keeps serving every image after Instagram's URLs expire (the CDN answers 403)", async () => {
    const { feedId } = await publishFeed(ig.fake);
    const feed = await feedJson(feedId);
    const graph = await relayFetch(`/v1/feeds/${feedId}`);
    expect(graph.status).toBe(200);
    // The fake's own signed URL for the first post, read as the relay read it.
    const cdnCall = ig.fake.requests().find((request) => request.url.includes("/cdn/"));
    const cdnUrl = cdnCall?.url ?? "";
    ig.fake.clock.advance((urlExpiry(cdnUrl) ?? 0) - ig.fake.clock.now() + DAY_MS);
    expect((await ig.fake.fetch(cdnUrl)).status).toBe(403);
    for (const item of feed.items) {
      const image = await fetchImage(item.imageUrl);
      expect(image.status, item.id).toBe(200);
      await image.body?.cancel();
    }
  });

  it("sends CORS headers only to the feed's allowed origins", async () => {
    const { feedId } = await publishFeed(ig.fake);
    const allowed = await readFeed(feedId, SITE);
    expect(allowed.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(allowed.headers.get("Vary")).toContain("Origin");
    // http://localhost:5173 is in the relay's ALLOWED_ORIGINS but not this feed's.
    for (const origin of [
      "https://evil.example",
      "http://localhost:5173",
      "https://app.example.com.evil.test",
    ]) {
      const refused = await readFeed(feedId, origin);
      expect(refused.headers.get("Access-Control-Allow-Origin"), origin).toBeNull();
    }
    const preflight = await relayFetch(`/v1/feeds/${feedId}`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("answers 304 to a matching If-None-Match and caches at the edge", async () => {
    const { feedId } = await publishFeed(ig.fake);
    const first = await readFeed(feedId);
    const etag = first.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get("Cache-Control")).toMatch(/^public, max-age=60, stale-while-revalidate=/);
    const again = await readFeed(feedId, SITE, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("X-Relay-Cache")).toBe("hit");
    expect(again.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect((await readFeed(feedId, SITE, { "If-None-Match": '"other"' })).status).toBe(200);
  });

  it("answers 404 feed_not_found for an unknown, malformed or deleted feed and its media", async () => {
    const { feedId, apiKey } = await publishFeed(ig.fake);
    const { items } = await feedJson(feedId);
    for (const id of ["feed_AAAAAAAAAAAAAAAAAAAAAA", "nope", "feed_%2e%2e"]) {
      const response = await readFeed(id);
      expect(response.status, id).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: "feed_not_found" } });
    }
    const deleted = await relayFetch(`/v1/api/feeds/${feedId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    expect(deleted.status).toBe(200);
    expect((await readFeed(feedId)).json()).toMatchObject({ error: { code: "feed_not_found" } });
    expect(await bucketKeys(feedId)).toEqual([]);
    const image = await fetchImage(items[0]?.imageUrl ?? "");
    expect(image.status).toBe(404);
    expect(await image.json()).toMatchObject({ error: { code: "feed_not_found" } });
  });

  it("limits reads per client IP", async () => {
    const { feedId } = await publishFeed(ig.fake);
    const headers = { "CF-Connecting-IP": "203.0.113.77" };
    // Policy 120/min with a burst of 60: 61 at once pass; the refill during the loop lets a few more.
    let passed = 0;
    let refused = await readFeed(feedId, SITE, headers);
    while (refused.status === 200 && passed < 180) {
      passed++;
      refused = await readFeed(feedId, SITE, headers);
    }
    expect(passed).toBeGreaterThanOrEqual(61);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ error: { code: "rate_limited" } });
    // Another visitor is not affected.
    expect((await readFeed(feedId, SITE, { "CF-Connecting-IP": "203.0.113.78" })).status).toBe(200);
  });

  it("never stores oversized or non-image CDN answers", async () => {
    ig.fake.faults.inject({ endpoint: "cdn", kind: "oversized", times: 1 });
    ig.fake.faults.inject({ endpoint: "cdn", kind: "wrong_content_type", times: 1 });
    const { feedId } = await publishFeed(ig.fake, { limit: 6 });
    const feed: PublicFeed = await feedJson(feedId);
    expect(feed.items).toHaveLength(4);
    const keys = await bucketKeys(feedId);
    expect(keys).toHaveLength(4);
    for (const key of keys) {
      const object = await env.MEDIA.head(key);
      expect(object?.httpMetadata?.contentType).toBe("image/png");
    }
  });
});
