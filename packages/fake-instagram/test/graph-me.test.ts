import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { getJson, graphErrorOf, longLivedToken } from "./helpers.ts";

const ALL =
  "user_id,username,name,account_type,profile_picture_url,followers_count,follows_count,media_count";

describe("GET /me", () => {
  it("returns exactly the requested fields plus id, on versioned and unversioned paths", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    for (const path of ["/me", "/v25.0/me", "/v23.0/me"]) {
      const { status, body } = await getJson(
        fake,
        `${path}?fields=username,account_type&access_token=${token}`,
      );
      expect(status).toBe(200);
      expect(body).toEqual({ id: "27640875392278831", username: "jane.doe", account_type: "BUSINESS" });
    }
  });

  it("returns every profile field with ids as strings and a picture on the request's host", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake, { userId: "max.creator" });
    const res = await fake.fetch(`http://127.0.0.1:9999/v25.0/me?fields=${ALL}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: "28978671838402975",
      user_id: "17841400000000037",
      username: "max.creator",
      name: "Max Creator",
      account_type: "Media_Creator",
      profile_picture_url: "http://127.0.0.1:9999/cdn/avatar/28978671838402975.svg",
      followers_count: 98_765,
      follows_count: 321,
      media_count: 31,
    });
    const avatar = await fake.fetch(String(body.profile_picture_url));
    expect(avatar.headers.get("content-type")).toBe("image/svg+xml");
    expect(await avatar.text()).toContain("<svg");
  });

  it("answers only id when no fields are asked for", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    expect((await getJson(fake, `/me?access_token=${token}`)).body).toEqual({ id: "27640875392278831" });
  });

  it("refuses an unknown field with Graph code 100", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const { status, body } = await getJson(fake, `/me?fields=username,email&access_token=${token}`);
    expect(status).toBe(400);
    expect(graphErrorOf(body).code).toBe(100);
    expect(graphErrorOf(body).message).toContain("(email)");
  });

  it("answers Graph errors with HTTP 400 and the exact error keys", async () => {
    const fake = createFakeInstagram();
    const missing = await getJson(fake, "/me");
    expect(missing.status).toBe(400);
    expect(graphErrorOf(missing.body).code).toBe(2500);
    const unknown = await getJson(fake, "/me?access_token=IGAAnot-a-token");
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body)).toEqual(["error"]);
    expect(Object.keys(graphErrorOf(unknown.body))).toEqual(["message", "type", "code", "fbtrace_id"]);
    expect(graphErrorOf(unknown.body)).toMatchObject({ type: "OAuthException", code: 190 });
  });

  it("refuses a token whose instagram_business_basic was withdrawn with Graph code 10", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    expect(fake.removePermission("jane.doe", "instagram_business_basic")).toBe(2);
    const { status, body } = await getJson(fake, `/me?fields=username&access_token=${token}`);
    expect(status).toBe(400);
    expect(graphErrorOf(body)).toMatchObject({ code: 10, type: "OAuthException" });
  });
});
