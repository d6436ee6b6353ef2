import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, getJson, graphErrorOf, longLivedToken } from "./helpers.ts";

type MediaPage = {
  data: Record<string, unknown>[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
};

const FIELDS = "id,caption,media_type,media_url,permalink,thumbnail_url,timestamp";

describe("GET /me/media", () => {
  it("pages through every item with cursors and absolute next URLs on the request's host", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const host = "http://127.0.0.1:8788";
    let url: string | undefined = `${host}/v25.0/me/media?fields=${FIELDS}&limit=10&access_token=${token}`;
    const ids: string[] = [];
    let pages = 0;
    while (url) {
      expect(url.startsWith(`${host}/v25.0/me/media?`)).toBe(true);
      const page = (await (await fake.fetch(url)).json()) as MediaPage;
      pages++;
      for (const item of page.data) ids.push(String(item.id));
      expect(page.paging?.cursors.before).toEqual(expect.any(String));
      url = page.paging?.next;
    }
    expect(pages).toBe(3);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toEqual(fake.users[0]?.media.map((m) => m.id));
  });

  it("defaults to 25 items, caps limit at 100, and follows before cursors backwards", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake, { userId: "max.creator" });
    const first = (await getJson(fake, `/me/media?access_token=${token}`)).body as MediaPage;
    expect(first.data).toHaveLength(25);
    expect(first.paging?.previous).toBeUndefined();
    const second = (await (await fake.fetch(first.paging?.next ?? "")).json()) as MediaPage;
    expect(second.data).toHaveLength(6);
    expect(second.paging?.next).toBeUndefined();
    const back = (await (await fake.fetch(second.paging?.previous ?? "")).json()) as MediaPage;
    expect(back.data.map((m) => m.id)).toEqual(first.data.map((m) => m.id));
    const all = (await getJson(fake, `/me/media?limit=500&access_token=${token}`)).body as MediaPage;
    expect(all.data).toHaveLength(31);
    expect(all.paging?.next).toBeUndefined();
  });

  it("omits access_token from paging URLs when it came in the Authorization header", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const res = await fake.fetch(`${BASE}/me/media?limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as MediaPage;
    expect(page.paging?.next).toBeDefined();
    expect(page.paging?.next).not.toContain("access_token");
  });

  it("returns media types, thumbnails only for VIDEO, no media_url for copyrighted items", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const page = (await getJson(fake, `/me/media?fields=${FIELDS}&limit=30&access_token=${token}`))
      .body as MediaPage;
    const types = new Set(page.data.map((m) => m.media_type));
    expect(types).toEqual(new Set(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]));
    for (const item of page.data) {
      expect("thumbnail_url" in item).toBe(item.media_type === "VIDEO");
      expect(item.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    }
    const withoutUrl = page.data.filter((m) => !("media_url" in m));
    expect(withoutUrl).toHaveLength(1);
    const image = page.data.find((m) => m.media_type === "IMAGE" && "media_url" in m);
    expect(String(image?.media_url)).toMatch(
      /^https:\/\/fake\.instagram\.test\/cdn\/\d+\.svg\?oe=[0-9A-F]+&oh=[0-9a-f]{16}$/,
    );
    expect(String(image?.permalink)).toMatch(/^https:\/\/fake\.instagram\.test\/p\/[^/]+\/$/);
  });

  it("returns only requested fields plus id, and carousel children on request", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const page = (
      await getJson(
        fake,
        `/me/media?fields=media_type,children{media_type,media_url}&limit=30&access_token=${token}`,
      )
    ).body as MediaPage;
    const image = page.data.find((m) => m.media_type === "IMAGE");
    expect(Object.keys(image ?? {}).sort()).toEqual(["id", "media_type"]);
    const album = page.data.find((m) => m.media_type === "CAROUSEL_ALBUM") as {
      children: { data: unknown[] };
    };
    expect(album.children.data).toHaveLength(3);
    expect(album.children.data[0]).toEqual({
      id: expect.any(String),
      media_type: "IMAGE",
      media_url: expect.any(String),
    });
  });

  it("serves the media images until their oe expiry", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const page = (await getJson(fake, `/me/media?fields=media_url&limit=1&access_token=${token}`))
      .body as MediaPage;
    const mediaUrl = String(page.data[0]?.media_url);
    const image = await fake.fetch(mediaUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    fake.clock.advance(4 * 86_400_000);
    expect((await fake.fetch(mediaUrl)).status).toBe(403);
  });

  it("refuses a bad cursor, a bad limit and an unknown field with Graph code 100", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    for (const query of ["after=bm9wZQ", "limit=abc", "fields=id,secret_field"]) {
      const { status, body } = await getJson(fake, `/v25.0/me/media?${query}&access_token=${token}`);
      expect(status).toBe(400);
      expect(graphErrorOf(body).code).toBe(100);
    }
  });
});
