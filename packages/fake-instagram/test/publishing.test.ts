import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { ALL_SCOPES, DAY, graph, graphErrorOf, HOUR, jpegHost, longLivedToken } from "./helpers.ts";

const IMG = "https://media.example.test/photo.jpg";

async function setUp(options: Parameters<typeof createFakeInstagram>[0] = {}) {
  const host = jpegHost();
  const fake = createFakeInstagram({ outboundFetch: host.fetch, ...options });
  const token = await longLivedToken(fake, { scope: ALL_SCOPES });
  const ig = fake.users[0]?.userId ?? "";
  return { fake, token, ig, host };
}

describe("content publishing", () => {
  it("container IN_PROGRESS -> FINISHED on the fake clock, publish, then the post leads /me/media", async () => {
    const { fake, token, ig, host } = await setUp({ containerDelayMs: 30_000 });
    const created = await graph(fake, "POST", `/v25.0/${ig}/media`, token, {
      image_url: IMG,
      caption: "Hello #fake",
    });
    expect(created.status).toBe(200);
    const id = String(created.body.id);
    expect(id).toMatch(/^\d{17}$/);
    expect(host.seen).toEqual([IMG]);

    const early = await graph(fake, "GET", `/v25.0/${id}`, token, { fields: "status_code,status" });
    expect(early.body).toMatchObject({ id, status_code: "IN_PROGRESS" });
    const tooSoon = await graph(fake, "POST", `/v25.0/${ig}/media_publish`, token, { creation_id: id });
    expect(graphErrorOf(tooSoon.body)).toMatchObject({ code: 9007, error_subcode: 2207027 });

    fake.clock.advance(30_000);
    const ready = await graph(fake, "GET", `/v25.0/${id}`, token, { fields: "status_code" });
    expect(ready.body).toEqual({ status_code: "FINISHED", id });
    const published = await graph(fake, "POST", `/v25.0/${ig}/media_publish?creation_id=${id}`, token);
    expect(published.status).toBe(200);
    const mediaId = String(published.body.id);
    expect(
      (await graph(fake, "GET", `/v25.0/${id}`, token, { fields: "status_code" })).body.status_code,
    ).toBe("PUBLISHED");
    const again = await graph(fake, "POST", `/v25.0/${ig}/media_publish`, token, { creation_id: id });
    expect(again.status).toBe(400);

    const list = await graph(fake, "GET", "/v25.0/me/media", token, {
      fields: "id,caption,media_type,media_url,permalink",
      limit: "1",
    });
    expect((list.body.data as Record<string, unknown>[])[0]).toMatchObject({
      id: mediaId,
      caption: "Hello #fake",
      media_type: "IMAGE",
    });
    const node = await graph(fake, "GET", `/v25.0/${mediaId}`, token, {
      fields: "permalink,timestamp,media_product_type",
    });
    expect(node.body).toMatchObject({
      id: mediaId,
      media_product_type: "FEED",
      permalink: expect.stringContaining("/p/"),
    });
    expect(fake.containers()).toHaveLength(1);
  });

  it("takes parameters as JSON too, and REELS publish as VIDEO with media_product_type REELS", async () => {
    const { fake, token } = await setUp({ containerDelayMs: 0 });
    const res = await fake.fetch("https://fake.instagram.test/v25.0/me/media", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        media_type: "REELS",
        video_url: "https://media.example.test/clip.mp4",
        caption: "Reel",
      }),
    });
    const id = String(((await res.json()) as { id: string }).id);
    const pub = await graph(fake, "POST", "/v25.0/me/media_publish", token, { creation_id: id });
    const node = await graph(fake, "GET", `/v25.0/${String(pub.body.id)}`, token, {
      fields: "media_type,media_product_type",
    });
    expect(node.body).toMatchObject({ media_type: "VIDEO", media_product_type: "REELS" });
  });

  it("carousels need 2 to 10 carousel-item children and publish as one CAROUSEL_ALBUM", async () => {
    const { fake, token, ig } = await setUp({ containerDelayMs: 0 });
    const child = async () =>
      String(
        (await graph(fake, "POST", `/${ig}/media`, token, { image_url: IMG, is_carousel_item: "true" })).body
          .id,
      );
    const one = await child();
    const single = await graph(fake, "POST", `/${ig}/media`, token, {
      media_type: "CAROUSEL",
      children: one,
    });
    expect(graphErrorOf(single.body)).toMatchObject({ code: 100, error_subcode: 2207028 });
    const eleven = [one, ...(await Promise.all(Array.from({ length: 10 }, child)))];
    const tooMany = await graph(fake, "POST", `/${ig}/media`, token, {
      media_type: "CAROUSEL",
      children: eleven.join(","),
    });
    expect(graphErrorOf(tooMany.body)).toMatchObject({ code: 100, error_subcode: 2207028 });
    const parent = await graph(fake, "POST", `/${ig}/media`, token, {
      media_type: "CAROUSEL",
      children: eleven.slice(0, 3).join(","),
      caption: "Three",
    });
    const pub = await graph(fake, "POST", `/${ig}/media_publish`, token, {
      creation_id: String(parent.body.id),
    });
    const node = await graph(fake, "GET", `/${String(pub.body.id)}`, token, {
      fields: "media_type,children",
    });
    expect(node.body.media_type).toBe("CAROUSEL_ALBUM");
    expect((node.body.children as { data: unknown[] }).data).toHaveLength(3);
    // A child alone cannot be published.
    const lone = await graph(fake, "POST", `/${ig}/media_publish`, token, { creation_id: one });
    expect(graphErrorOf(lone.body)).toMatchObject({ code: 100, error_subcode: 2207089 });
  });

  it("refuses long captions, too many hashtags, bad media types and missing URLs with Graph errors", async () => {
    const { fake, token } = await setUp();
    const cases: [Record<string, string>, number, number | undefined][] = [
      [{ image_url: IMG, caption: "x".repeat(2201) }, 36004, 2207010],
      [{ image_url: IMG, caption: Array.from({ length: 31 }, (_, i) => `#t${i}`).join(" ") }, 100, undefined],
      [{ image_url: IMG, caption: Array.from({ length: 21 }, (_, i) => `@u${i}`).join(" ") }, 100, 2207040],
      [{ image_url: IMG, media_type: "GIF" }, 100, 2207023],
      [{ caption: "no url" }, 100, undefined],
    ];
    for (const [params, code, subcode] of cases) {
      const res = await graph(fake, "POST", "/v25.0/me/media", token, params);
      expect(res.status).toBe(400);
      expect(graphErrorOf(res.body).code).toBe(code);
      expect(graphErrorOf(res.body).error_subcode).toBe(subcode);
    }
    const ok = await graph(fake, "POST", "/v25.0/me/media", token, {
      image_url: IMG,
      caption: `${"x".repeat(2170)} ${Array.from({ length: 29 }, () => "#a").join("")}`.slice(0, 2200),
    });
    expect(ok.status).toBe(200);
  });

  it("fetches the media URL: non-https, unreachable, non-JPEG and > 8 MiB images are refused", async () => {
    const big = "https://media.example.test/big.jpg";
    const png = "https://media.example.test/pic.png";
    const host = jpegHost({
      [big]: () =>
        new Response(new Uint8Array(9 * 1024 * 1024), { headers: { "content-type": "image/jpeg" } }),
      [png]: () => new Response(new Uint8Array(8), { headers: { "content-type": "image/png" } }),
      "https://down.example.test/x.jpg": () => {
        throw new TypeError("fetch failed");
      },
    });
    const fake = createFakeInstagram({ outboundFetch: host.fetch });
    const token = await longLivedToken(fake, { scope: ALL_SCOPES });
    const expectError = async (url: string, code: number, subcode: number) => {
      const res = await graph(fake, "POST", "/me/media", token, { image_url: url });
      expect(res.status).toBe(400);
      expect(graphErrorOf(res.body)).toMatchObject({ code, error_subcode: subcode });
    };
    await expectError("http://media.example.test/photo.jpg", 9004, 2207052);
    await expectError("https://media.example.test/missing.jpg", 9004, 2207052);
    await expectError("https://down.example.test/x.jpg", 9004, 2207052);
    await expectError("not a url", 9004, 2207052);
    await expectError(png, 36001, 2207005);
    await expectError(big, 36000, 2207004);
    expect(host.seen).not.toContain("http://media.example.test/photo.jpg");
  });

  it("downloads http:// media only from an origin listed in insecureMediaOrigins (a local relay)", async () => {
    const { fake, token, host } = await setUp({ insecureMediaOrigins: ["http://localhost:8787"] });
    const local = "http://localhost:8787/v1/uploads/abc";
    const created = await graph(fake, "POST", "/me/media", token, { image_url: local });
    expect(created.status).toBe(200);
    expect(host.seen).toEqual([local]);
    const other = await graph(fake, "POST", "/me/media", token, { image_url: "http://localhost:9999/x.jpg" });
    expect(graphErrorOf(other.body)).toMatchObject({ code: 9004, error_subcode: 2207052 });
    expect(host.seen).toEqual([local]);
  });

  it("an unfetchable video and an injected failure end the container in ERROR with a reason", async () => {
    const { fake, token } = await setUp({ containerDelayMs: 1_000 });
    const video = await graph(fake, "POST", "/me/media", token, {
      media_type: "REELS",
      video_url: "https://media.example.test/missing.mp4",
    });
    fake.failNextContainer({ subcode: 2207026, code: 352, message: "The video format is not supported." });
    const failing = await graph(fake, "POST", "/me/media", token, { image_url: IMG });
    fake.clock.advance(1_000);
    for (const res of [video, failing]) {
      const status = await graph(fake, "GET", `/${String(res.body.id)}`, token, {
        fields: "status_code,status",
      });
      expect(status.body.status_code).toBe("ERROR");
      expect(String(status.body.status)).toMatch(/\(\d{7}\)$/);
      const pub = await graph(fake, "POST", "/me/media_publish", token, { creation_id: String(res.body.id) });
      expect(pub.status).toBe(400);
    }
    const failed = await graph(fake, "GET", `/${String(failing.body.id)}`, token, { fields: "status" });
    expect(failed.body.status).toContain("2207026");
  });

  it("containers expire after 24 h unpublished", async () => {
    const { fake, token } = await setUp({ containerDelayMs: 0 });
    const res = await graph(fake, "POST", "/me/media", token, { image_url: IMG });
    fake.clock.advance(DAY);
    const id = String(res.body.id);
    expect((await graph(fake, "GET", `/${id}`, token, { fields: "status_code" })).body.status_code).toBe(
      "EXPIRED",
    );
    const pub = await graph(fake, "POST", "/me/media_publish", token, { creation_id: id });
    expect(graphErrorOf(pub.body)).toMatchObject({ code: -2, error_subcode: 2207020 });
  });

  it("content_publishing_limit counts a moving 24 h and media_publish refuses past it (9/2207042)", async () => {
    const { fake, token, ig } = await setUp({ containerDelayMs: 0, publishingLimit: 2 });
    const publishOne = async () => {
      const c = await graph(fake, "POST", `/${ig}/media`, token, { image_url: IMG });
      return graph(fake, "POST", `/${ig}/media_publish`, token, { creation_id: String(c.body.id) });
    };
    const limit = await graph(fake, "GET", `/${ig}/content_publishing_limit`, token, {
      fields: "quota_usage,config",
    });
    expect(limit.body).toEqual({
      data: [{ quota_usage: 0, config: { quota_total: 2, quota_duration: 86400 } }],
    });
    expect((await publishOne()).status).toBe(200);
    fake.clock.advance(12 * HOUR);
    expect((await publishOne()).status).toBe(200);
    const over = await publishOne();
    expect(over.status).toBe(400);
    expect(graphErrorOf(over.body)).toMatchObject({ code: 9, error_subcode: 2207042 });
    const usage = await graph(fake, "GET", `/${ig}/content_publishing_limit`, token);
    expect(usage.body).toEqual({ data: [{ quota_usage: 2 }] });
    fake.clock.advance(12 * HOUR + 1);
    expect((await publishOne()).status).toBe(200);
    const old = await graph(fake, "GET", `/${ig}/content_publishing_limit`, token, {
      since: String(Math.floor(fake.clock.now() / 1000) - 2 * 86_400),
    });
    expect(graphErrorOf(old.body).code).toBe(100);
  });

  it("needs instagram_business_content_publish, and refuses another account's id and containers", async () => {
    const host = jpegHost();
    const fake = createFakeInstagram({ outboundFetch: host.fetch, containerDelayMs: 0 });
    const basic = await longLivedToken(fake);
    const denied = await graph(fake, "POST", "/me/media", basic, { image_url: IMG });
    expect(graphErrorOf(denied.body).code).toBe(10);
    const jane = await longLivedToken(fake, { scope: ALL_SCOPES });
    const max = await longLivedToken(fake, { scope: ALL_SCOPES, userId: "max.creator" });
    const maxId = fake.users[1]?.userId ?? "";
    const foreign = await graph(fake, "POST", `/${maxId}/media`, jane, { image_url: IMG });
    expect(graphErrorOf(foreign.body)).toMatchObject({
      code: 100,
      error_subcode: 33,
      type: "GraphMethodException",
    });
    const mine = await graph(fake, "POST", "/me/media", max, { image_url: IMG });
    const peek = await graph(fake, "GET", `/${String(mine.body.id)}`, jane, { fields: "status_code" });
    expect(graphErrorOf(peek.body)).toMatchObject({ code: 100, error_subcode: 33 });
    const steal = await graph(fake, "POST", "/me/media_publish", jane, { creation_id: String(mine.body.id) });
    expect(graphErrorOf(steal.body)).toMatchObject({ code: 24, error_subcode: 2207008 });
  });

  it("fetches media on the fake's own host in-process (png CDN is refused as not JPEG)", async () => {
    const fake = createFakeInstagram({
      cdnImageFormat: "png",
      outboundFetch: async () => {
        throw new Error("no network");
      },
    });
    const token = await longLivedToken(fake, { scope: ALL_SCOPES });
    const list = await graph(fake, "GET", "/me/media", token, { fields: "media_url", limit: "1" });
    const url = String((list.body.data as { media_url: string }[])[0]?.media_url);
    const res = await graph(fake, "POST", "/me/media", token, { image_url: url });
    expect(graphErrorOf(res.body)).toMatchObject({ code: 36001, error_subcode: 2207005 });
  });
});
