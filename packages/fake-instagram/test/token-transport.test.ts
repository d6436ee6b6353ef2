import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, DAY, getJson, graphErrorOf, longLivedToken, shortLivedToken } from "./helpers.ts";

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("token transport", () => {
  it("Graph reads take the token from Authorization: Bearer", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const me = await getJson(fake, "/v25.0/me?fields=username", bearer(token));
    expect(me.status).toBe(200);
    expect(me.body.username).toBe("jane.doe");
    const wrong = await getJson(fake, "/v25.0/me", bearer("IGAAnope"));
    expect(graphErrorOf(wrong.body).code).toBe(190);
  });

  it("the long-lived exchange and the refresh take the token from the header too", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    const upgraded = await getJson(
      fake,
      "/access_token?grant_type=ig_exchange_token&client_secret=fake-client-secret",
      bearer(short),
    );
    expect(upgraded.status).toBe(200);
    const long = String(upgraded.body.access_token);
    fake.clock.advance(2 * DAY);
    const refreshed = await getJson(fake, "/refresh_access_token?grant_type=ig_refresh_token", bearer(long));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(long);
  });

  it("the long-lived exchange still needs client_secret in the query (GET only, as documented)", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    const res = await getJson(fake, "/access_token?grant_type=ig_exchange_token", bearer(short));
    expect(res.status).toBe(400);
    expect(graphErrorOf(res.body).code).toBe(101);
  });

  it("requests() logs every URL as received, and clearRequests() empties it", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    await fake.fetch(`${BASE}/v25.0/me/media?limit=2`, bearer(token));
    const log = fake.requests();
    expect(log.map((r) => r.endpoint)).toEqual(["code_exchange", "long_lived", "media"]);
    expect(log[0]).toMatchObject({
      method: "POST",
      url: `${BASE}/oauth/access_token`,
      authorizationHeader: false,
      contentType: expect.stringContaining("application/x-www-form-urlencoded"),
    });
    // The helper's upgrade sends secret and token in the query: the log shows exactly that.
    expect(log[1]?.url).toContain("client_secret=fake-client-secret");
    expect(log[2]).toMatchObject({ url: `${BASE}/v25.0/me/media?limit=2`, authorizationHeader: true });
    expect(log[2]?.url).not.toContain(token);
    log.length = 0;
    expect(fake.requests()).toHaveLength(3);
    fake.clearRequests();
    expect(fake.requests()).toEqual([]);
  });
});

describe("paging cursors", () => {
  it("an unknown but well-formed cursor on /me/media is Graph code 100 with HTTP 400", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const wellFormed = btoa("media:17890000000999999").replaceAll("=", "");
    for (const param of ["after", "before"]) {
      const res = await getJson(fake, `/v25.0/me/media?${param}=${wellFormed}`, bearer(token));
      expect(res.status).toBe(400);
      expect(graphErrorOf(res.body)).toMatchObject({ code: 100, type: "OAuthException" });
    }
    // Another account's cursor is just as unknown here.
    const other = await getJson(
      fake,
      `/me/media?limit=1&access_token=${await longLivedToken(fake, { userId: "max.creator" })}`,
    );
    const foreign = (other.body.paging as { cursors: { after: string } }).cursors.after;
    const res = await getJson(fake, `/me/media?after=${foreign}`, bearer(token));
    expect(graphErrorOf(res.body).code).toBe(100);
  });
});
