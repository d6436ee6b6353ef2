import { env } from "cloudflare:workers";
import type { ConnectionResponse, MediaPage } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { setUpstreamFetchForTests } from "../../src/runtime.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { connect, freshUser, getMe, getMedia, graphReads } from "./connected.ts";

const ctx = useFakeInstagram();
const SECOND = 1000;

describe("cached profile reads", () => {
  it("N reads of /v1/connections/me within PROFILE_CACHE_SECONDS make one upstream call", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    user.followersCount = 4321;
    const before = graphReads(fake, "me");
    for (let i = 0; i < 6; i++) {
      const res = await getMe(handle);
      expect(res.status).toBe(200);
      // The live profile, not the one stored at connect time.
      expect(res.json<ConnectionResponse>().connection.profile.followersCount).toBe(4321);
    }
    expect(graphReads(fake, "me")).toBe(before + 1);

    fake.clock.advance(301 * SECOND);
    await getMe(handle);
    expect(graphReads(fake, "me")).toBe(before + 2);
  });

  it("reports reauth_required when Instagram refuses the token, keeping the stored profile", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    fake.revokeUser(user.id);
    const res = await getMe(handle);
    expect(res.status).toBe(200);
    const { connection } = res.json<ConnectionResponse>();
    expect(connection.status).toBe("reauth_required");
    expect(connection.profile.username).toBe(user.username);
  });
});

describe("cached media reads", () => {
  it("N reads of a page make one upstream call; other pages are cached on their own", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const before = graphReads(fake, "media");
    const pages = [];
    for (let i = 0; i < 8; i++) pages.push((await getMedia(handle, "?limit=6")).json<MediaPage>());
    expect(graphReads(fake, "media")).toBe(before + 1);
    expect(new Set(pages.map((p) => JSON.stringify(p))).size).toBe(1);
    const next = pages[0]?.nextCursor ?? "";
    await getMedia(handle, `?limit=6&after=${encodeURIComponent(next)}`);
    await getMedia(handle, `?limit=6&after=${encodeURIComponent(next)}`);
    expect(graphReads(fake, "media")).toBe(before + 2);
  });

  it("expires by time (MEDIA_CACHE_SECONDS)", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    const before = graphReads(fake, "media");
    await getMedia(handle);
    fake.clock.advance(299 * SECOND);
    expect((await getMedia(handle)).headers.get("X-Relay-Cache")).toBe("hit");
    expect(graphReads(fake, "media")).toBe(before + 1);
    fake.clock.advance(2 * SECOND);
    expect((await getMedia(handle)).headers.get("X-Relay-Cache")).toBe("miss");
    expect(graphReads(fake, "media")).toBe(before + 2);
  });

  it("expires by the earliest media_url expiry (oe), before MEDIA_CACHE_SECONDS", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    // Instagram's CDN URLs may expire soon: make every `oe` two minutes from now.
    setUpstreamFetchForTests(async (input, init) => {
      const response = await fake.fetch(input, init);
      const body = await response.text();
      const soon = Math.floor((fake.clock.now() + 120 * SECOND) / 1000)
        .toString(16)
        .toUpperCase();
      return new Response(body.replace(/oe=[0-9A-F]+/g, `oe=${soon}`), response);
    });
    const before = graphReads(fake, "media");
    await getMedia(handle);
    fake.clock.advance(30 * SECOND);
    expect((await getMedia(handle)).headers.get("X-Relay-Cache")).toBe("hit");
    // One minute before `oe` the cached page is no longer served.
    fake.clock.advance(31 * SECOND);
    expect((await getMedia(handle)).headers.get("X-Relay-Cache")).toBe("miss");
    expect(graphReads(fake, "media")).toBe(before + 2);
  });

  it("keeps no token in cache keys or values", async () => {
    const { fake } = ctx;
    const handle = await connect(fake, freshUser(fake));
    await getMedia(handle);
    await getMe(handle);
    const { keys } = await env.CONNECTIONS.list({ prefix: `cache:${handle.connectionId}:` });
    expect(keys.map((k) => k.name.split(":")[2]).sort()).toEqual(["media", "profile"]);
    for (const { name } of keys) {
      expect(name).not.toContain(handle.credential);
      const value = (await env.CONNECTIONS.get(name)) ?? "";
      expect(value).not.toMatch(/access_token|IGAA/);
    }
  });
});
