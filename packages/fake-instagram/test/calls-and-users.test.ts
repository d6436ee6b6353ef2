import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, getJson, longLivedToken } from "./helpers.ts";

describe("fake.calls and accounts", () => {
  it("records every request with its endpoint and fake-clock time", async () => {
    let now = 1_000;
    const fake = createFakeInstagram({ now: () => now });
    const token = await longLivedToken(fake);
    now = 5_000;
    await fake.fetch(`${BASE}/v25.0/me/media?access_token=${token}`);
    fake.clock.advance(10);
    await fake.fetch(`${BASE}/nowhere`);
    expect(fake.calls.map((c) => [c.method, c.endpoint])).toEqual([
      ["POST", "code_exchange"],
      ["GET", "long_lived"],
      ["GET", "media"],
      ["GET", "unknown"],
    ]);
    expect(fake.calls[2]).toEqual({ method: "GET", path: "/v25.0/me/media", endpoint: "media", at: 5_000 });
    expect(fake.calls[3]?.at).toBe(5_010);
  });

  it("seeds two accounts with 17-digit ids and ~30 media, and addUser creates more", async () => {
    const fake = createFakeInstagram();
    expect(fake.users.map((u) => [u.username, u.accountType])).toEqual([
      ["jane.doe", "BUSINESS"],
      ["max.creator", "Media_Creator"],
    ]);
    for (const user of fake.users) {
      expect(user.id).toMatch(/^\d{17}$/);
      expect(user.userId).toMatch(/^\d{17}$/);
      expect(user.media.length).toBeGreaterThanOrEqual(30);
    }
    const added = fake.addUser({ username: "sam.shop", accountType: "MEDIA_CREATOR", mediaCount: 3 });
    expect(added.id).toMatch(/^\d{17}$/);
    expect(() => fake.addUser({ username: "sam.shop" })).toThrow(/already exists/);
    const token = await longLivedToken(fake, { userId: "sam.shop" });
    const { body } = await getJson(
      fake,
      `/me?fields=username,account_type,media_count&access_token=${token}`,
    );
    expect(body).toEqual({
      id: added.id,
      username: "sam.shop",
      account_type: "MEDIA_CREATOR",
      media_count: 3,
    });
  });

  it("unknown paths answer a Graph error, not a crash", async () => {
    const fake = createFakeInstagram();
    const { status, body } = await getJson(fake, "/v25.0/somewhere");
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 2500, type: "OAuthException" } });
  });
});
