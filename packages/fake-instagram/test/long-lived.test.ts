import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, DAY, getJson, graphErrorOf, longLivedToken, shortLivedToken } from "./helpers.ts";

const upgrade = (token: string, secret = "fake-client-secret") =>
  `/access_token?grant_type=ig_exchange_token&client_secret=${secret}&access_token=${token}`;
const refresh = (token: string) => `/refresh_access_token?grant_type=ig_refresh_token&access_token=${token}`;

describe("GET /access_token (long-lived upgrade)", () => {
  it("trades a valid short-lived token for a ~60-day bearer token", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    const { status, body } = await getJson(fake, upgrade(short));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["access_token", "token_type", "expires_in"]);
    expect(body.token_type).toBe("bearer");
    expect(body.access_token).not.toBe(short);
    expect(body.expires_in).toBeGreaterThan(5_180_000);
    expect(body.expires_in).toBeLessThanOrEqual(5_184_000);
    const me = await getJson(fake, `/me?access_token=${String(body.access_token)}`);
    expect(me.status).toBe(200);
  });

  it("is also served under a version prefix", async () => {
    const fake = createFakeInstagram();
    const { status } = await getJson(fake, `/v25.0${upgrade(await shortLivedToken(fake))}`);
    expect(status).toBe(200);
  });

  it("refuses a wrong client secret (Graph 101), an expired short token (190/463) and a long-lived one", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    const wrongSecret = await getJson(fake, upgrade(short, "nope"));
    expect(wrongSecret.status).toBe(400);
    expect(graphErrorOf(wrongSecret.body)).toMatchObject({ code: 101, type: "OAuthException" });

    const long = await longLivedToken(fake);
    expect(graphErrorOf((await getJson(fake, upgrade(long))).body).code).toBe(100);

    fake.clock.advance(3_600_000);
    const expired = await getJson(fake, upgrade(short));
    expect(graphErrorOf(expired.body)).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it("refuses another grant_type", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    const res = await getJson(
      fake,
      `/access_token?grant_type=fb_exchange_token&client_secret=fake-client-secret&access_token=${short}`,
    );
    expect(graphErrorOf(res.body).code).toBe(100);
  });
});

describe("GET /refresh_access_token", () => {
  it("refuses a token younger than 24 hours", async () => {
    const fake = createFakeInstagram({ now: () => 1_800_000_000_000 });
    const long = await longLivedToken(fake);
    fake.clock.advance(DAY - 1);
    const { status, body } = await getJson(fake, refresh(long));
    expect(status).toBe(400);
    expect(graphErrorOf(body)).toMatchObject({ code: 100, type: "OAuthException" });
    expect(graphErrorOf(body).message).toContain("24 hours");
  });

  it("after 24 hours returns a NEW string with a fresh expiry; the old string stops working", async () => {
    const fake = createFakeInstagram();
    const long = await longLivedToken(fake);
    fake.clock.advance(30 * DAY);
    const { status, body } = await getJson(fake, refresh(long));
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["access_token", "token_type", "expires_in"]);
    expect(body.token_type).toBe("bearer");
    expect(body.access_token).not.toBe(long);
    expect(body.expires_in).toBeGreaterThan(5_180_000);

    const old = await getJson(fake, `/me?access_token=${long}`);
    expect(graphErrorOf(old.body).code).toBe(190);
    expect((await getJson(fake, `/me?access_token=${String(body.access_token)}`)).status).toBe(200);
    // The new token is itself too young to refresh again straight away.
    expect(graphErrorOf((await getJson(fake, refresh(String(body.access_token)))).body).code).toBe(100);
  });

  it("refuses an expired long-lived token with 190/463: consent is needed again", async () => {
    const fake = createFakeInstagram();
    const long = await longLivedToken(fake);
    fake.clock.advance(61 * DAY);
    const { status, body } = await getJson(fake, refresh(long));
    expect(status).toBe(400);
    expect(graphErrorOf(body)).toMatchObject({ code: 190, error_subcode: 463, type: "OAuthException" });
  });

  it("refuses a short-lived token and a wrong grant_type", async () => {
    const fake = createFakeInstagram();
    const short = await shortLivedToken(fake);
    expect(graphErrorOf((await getJson(fake, refresh(short))).body).code).toBe(100);
    const long = await longLivedToken(fake);
    fake.clock.advance(2 * DAY);
    const res = await getJson(
      fake,
      `/refresh_access_token?grant_type=ig_exchange_token&access_token=${long}`,
    );
    expect(graphErrorOf(res.body).code).toBe(100);
  });

  it("is GET only", async () => {
    const fake = createFakeInstagram();
    const long = await longLivedToken(fake);
    fake.clock.advance(2 * DAY);
    const res = await fake.fetch(`${BASE}${refresh(long)}`, { method: "POST" });
    expect(res.status).toBe(400);
    expect((await getJson(fake, refresh(long))).status).toBe(200);
  });
});
