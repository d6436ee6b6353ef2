import { env } from "cloudflare:workers";
import type { MediaPage } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { useFakeInstagram } from "../support/fake.ts";
import { SITE } from "../support/relay.ts";
import { connect, freshUser, getMedia, graphReads } from "./connected.ts";

const ctx = useFakeInstagram();

describe("GET /v1/connections/me/media (widget)", () => {
  it("pages through every item with nextCursor, mapping Instagram's media shape", async () => {
    const { fake } = ctx;
    const user = freshUser(fake, 23);
    const handle = await connect(fake, user);
    const seen: MediaPage["items"] = [];
    let after = "";
    let pages = 0;
    do {
      const res = await getMedia(handle, `?limit=10${after && `&after=${encodeURIComponent(after)}`}`);
      expect(res.status).toBe(200);
      const page = res.json<MediaPage>();
      seen.push(...page.items);
      after = page.nextCursor ?? "";
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(seen.map((item) => item.id)).toEqual(user.media.map((m) => m.id));

    const video = seen.find((item) => item.mediaType === "VIDEO");
    expect(video?.thumbnailUrl).toMatch(/^https:\/\/fake\.instagram\.test\/cdn\/.+_thumb\.svg\?oe=/);
    const image = seen.find((item) => item.mediaType === "IMAGE");
    expect(image?.thumbnailUrl).toBeNull();
    expect(seen.some((item) => item.mediaType === "CAROUSEL_ALBUM")).toBe(true);
    // Copyrighted material has no media_url upstream: null, not a made-up URL.
    const copyrighted = seen[7];
    expect(copyrighted?.mediaUrl).toBeNull();
    expect(seen[1]?.caption).toBeNull();
    expect(seen[0]).toMatchObject({ caption: "Morning light #1", timestamp: "2026-10-01T12:00:00+0000" });
    expect(seen[0]?.permalink).toMatch(/^https:\/\/fake\.instagram\.test\/p\//);
  });

  it("defaults to 12 items and answers the widget's origin with CORS", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const res = await getMedia(handle);
    expect(res.status).toBe(200);
    expect(res.json<MediaPage>().items).toHaveLength(12);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(res.headers.get("Vary")).toContain("Origin");
    expect(res.headers.get("RateLimit-Policy")).toBe('"widget";q=60;w=60');
    expect(res.text).not.toContain("access_token");
  });

  it.each(["0", "51", "-1", "abc", "1.5", "", "0012"])(
    "refuses limit=%s with 400 invalid_request",
    async (limit) => {
      const { fake } = ctx;
      const handle = await connect(fake, freshUser(fake));
      const before = graphReads(fake, "media");
      const res = await getMedia(handle, `?limit=${encodeURIComponent(limit)}`);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: "invalid_request" } });
      expect(graphReads(fake, "media")).toBe(before);
    },
  );

  it("refuses a cursor that is not one Graph could have issued", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const res = await getMedia(handle, `?after=${encodeURIComponent("x&access_token=steal")}`);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("answers 401 without, with a malformed or with a wrong credential, calling nothing upstream", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const before = fake.calls.length;
    const wrong = { ...handle, credential: `${handle.connectionId}.${"A".repeat(43)}` };
    for (const res of [
      await getMedia(null),
      await getMedia(wrong),
      await getMedia(handle, "", { Authorization: "Bearer nonsense" }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
      expect(res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(fake.calls.length).toBe(before);
  });

  it("answers a CORS preflight for the allowed origin only", async () => {
    const { fake } = ctx;
    await connect(fake, freshUser(fake));
    const allowed = await getMedia(null, "", { "Access-Control-Request-Method": "GET" });
    // relayFetch sends GET; a preflight is an OPTIONS request.
    expect(allowed.status).toBe(401);
    const { exports } = await import("cloudflare:workers");
    const preflight = await exports.default.fetch(
      new Request("https://relay.test/v1/connections/me/media", {
        method: "OPTIONS",
        headers: { Origin: SITE, "Access-Control-Request-Headers": "authorization" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    const evil = await exports.default.fetch(
      new Request("https://relay.test/v1/connections/me/media", {
        method: "OPTIONS",
        headers: { Origin: "https://app.example.com.evil.com" },
      }),
    );
    expect(evil.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("answers 409 reauth_required when Instagram says the token is revoked", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.revokeUser(user.id);
    const res = await getMedia(handle);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: "reauth_required" } });
    expect(res.text).not.toMatch(/OAuthException|fbtrace/);
  });

  it("answers 409 reauth_required for an expired token without asking Instagram", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    fake.clock.advance(61 * 86_400_000);
    const before = fake.calls.length;
    const res = await getMedia(handle);
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: "reauth_required" } });
    expect(fake.calls.length).toBe(before);
  });

  it("stops working after disconnect and leaves no cached read behind", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    expect((await getMedia(handle)).status).toBe(200);
    const cached = await env.CONNECTIONS.list({ prefix: `cache:${handle.connectionId}:` });
    expect(cached.keys.length).toBeGreaterThan(0);
    const { relayFetch } = await import("../support/relay.ts");
    const gone = await relayFetch("/v1/connections/me", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${handle.credential}` },
    });
    expect(gone.status).toBe(200);
    expect((await getMedia(handle)).status).toBe(401);
    expect((await env.CONNECTIONS.list({ prefix: `cache:${handle.connectionId}:` })).keys).toEqual([]);
  });
});
