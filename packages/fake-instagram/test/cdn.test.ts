import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { DAY, getJson, longLivedToken } from "./helpers.ts";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

async function firstMediaUrl(fake: ReturnType<typeof createFakeInstagram>, field = "media_url") {
  const token = await longLivedToken(fake);
  const page = await getJson(fake, `/me/media?fields=${field}&limit=30&access_token=${token}`);
  const item = (page.body.data as Record<string, string>[]).find((m) => m[field]);
  return String(item?.[field]);
}

/** Reads the PNG's IHDR width/height and checks every chunk's length adds up to the file. */
function pngInfo(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: string[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const length = view.getUint32(pos);
    types.push(String.fromCharCode(...bytes.slice(pos + 4, pos + 8)));
    pos += 12 + length;
  }
  return { width: view.getUint32(16), height: view.getUint32(20), types, end: pos };
}

describe("CDN media URLs", () => {
  it("carry a hex oe and an oh signature; png mode serves real PNG bytes with image/png", async () => {
    const fake = createFakeInstagram({ cdnImageFormat: "png" });
    const url = await firstMediaUrl(fake);
    expect(url).toMatch(/^https:\/\/fake\.instagram\.test\/cdn\/\d+\.png\?oe=[0-9A-F]+&oh=[0-9a-f]{16}$/);
    const oe = Number.parseInt(new URL(url).searchParams.get("oe") ?? "", 16);
    expect(oe * 1000 - fake.clock.now()).toBeGreaterThan(2 * DAY);
    const res = await fake.fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual(PNG_MAGIC);
    const info = pngInfo(bytes);
    // IDAT is a valid zlib stream (zlib checks its Adler-32) holding 16 filtered rows of 16 RGB pixels.
    const idatLength = new DataView(bytes.buffer).getUint32(33);
    expect(inflateSync(bytes.slice(41, 41 + idatLength)).length).toBe(16 * (1 + 16 * 3));
    expect(info).toMatchObject({ width: 16, height: 16, types: ["IHDR", "IDAT", "IEND"], end: bytes.length });
    const thumb = await firstMediaUrl(fake, "thumbnail_url");
    expect(thumb).toMatch(/_thumb\.png\?oe=/);
    expect((await fake.fetch(thumb)).status).toBe(200);
  });

  it("answers 403 after oe on the fake clock, and 403 on an edited URL or signature", async () => {
    const fake = createFakeInstagram({ cdnImageFormat: "png" });
    const url = await firstMediaUrl(fake);
    const edited = new URL(url);
    edited.searchParams.set(
      "oe",
      (Number.parseInt(edited.searchParams.get("oe") ?? "", 16) + 3600).toString(16),
    );
    const res = await fake.fetch(edited);
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("Invalid URL Signature");
    const badSig = new URL(url);
    badSig.searchParams.set("oh", "0".repeat(16));
    expect((await fake.fetch(badSig)).status).toBe(403);
    const noSig = new URL(url);
    noSig.searchParams.delete("oh");
    expect((await fake.fetch(noSig)).status).toBe(403);
    const otherFile = url.replace(/\/cdn\/(\d+)\.png/, "/cdn/$1_thumb.png");
    expect((await fake.fetch(otherFile)).status).toBe(403);

    expect((await fake.fetch(url)).status).toBe(200);
    fake.clock.advance(3 * DAY);
    const expired = await fake.fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toBe("URL signature expired");
  });

  it("svg mode (the default) signs its URLs the same way", async () => {
    const fake = createFakeInstagram();
    const url = await firstMediaUrl(fake);
    expect(url).toMatch(/\.svg\?oe=[0-9A-F]+&oh=[0-9a-f]{16}$/);
    expect((await fake.fetch(url)).headers.get("content-type")).toBe("image/svg+xml");
    expect((await fake.fetch(url.replace(/oh=\w+/, "oh=0000000000000000"))).status).toBe(403);
  });

  it("injects an oversized body (true content-length, streamed) and a wrong content type", async () => {
    const fake = createFakeInstagram({ cdnImageFormat: "png" });
    const url = await firstMediaUrl(fake);
    fake.faults.inject({ endpoint: "cdn", kind: "oversized", bytes: 9 * 1024 * 1024 });
    fake.faults.inject({ endpoint: "cdn", kind: "wrong_content_type" });
    const big = await fake.fetch(url);
    expect(big.status).toBe(200);
    expect(big.headers.get("content-length")).toBe(String(9 * 1024 * 1024));
    expect((await big.arrayBuffer()).byteLength).toBe(9 * 1024 * 1024);
    const html = await fake.fetch(url);
    expect(html.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await html.text()).toContain("<html>");
    expect((await fake.fetch(url)).headers.get("content-type")).toBe("image/png");
  });

  it("an `any` fault never hits the CDN", async () => {
    const fake = createFakeInstagram({ cdnImageFormat: "png" });
    const url = await firstMediaUrl(fake);
    fake.faults.inject({ endpoint: "any", kind: "http_5xx" });
    expect((await fake.fetch(url)).status).toBe(200);
    expect(fake.faults.pending).toBe(1);
  });
});

describe("dev server env", () => {
  it("FAKE_IG_CDN_FORMAT and FAKE_IG_WEBHOOK_URL map to options; unknown formats are ignored", async () => {
    const { optionsFromEnv } = await import("../src/server.ts");
    expect(
      optionsFromEnv({ FAKE_IG_CDN_FORMAT: "png", FAKE_IG_WEBHOOK_URL: "https://relay.test/wh" }),
    ).toEqual({
      cdnImageFormat: "png",
      webhookCallbackUrl: "https://relay.test/wh",
    });
    expect(optionsFromEnv({ FAKE_IG_CDN_FORMAT: "gif" })).toEqual({});
  });
});
