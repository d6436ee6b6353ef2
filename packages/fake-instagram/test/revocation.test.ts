import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { DAY, getJson, graphErrorOf, longLivedToken } from "./helpers.ts";

describe("revocation", () => {
  it("revokeToken makes later calls with that token fail with 190/460", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    const other = await longLivedToken(fake);
    expect(fake.revokeToken(token)).toBe(true);
    const { status, body } = await getJson(fake, `/me?access_token=${token}`);
    expect(status).toBe(400);
    expect(graphErrorOf(body)).toMatchObject({ code: 190, error_subcode: 460, type: "OAuthException" });
    expect((await getJson(fake, `/me?access_token=${other}`)).status).toBe(200);
  });

  it("revokeUser kills every token of that account, refresh included, but not other accounts", async () => {
    const fake = createFakeInstagram();
    const jane = await longLivedToken(fake);
    const max = await longLivedToken(fake, { userId: "max.creator" });
    expect(fake.revokeUser("17841477965412211")).toBe(2);
    fake.clock.advance(2 * DAY);
    const refresh = await getJson(
      fake,
      `/refresh_access_token?grant_type=ig_refresh_token&access_token=${jane}`,
    );
    expect(graphErrorOf(refresh.body).code).toBe(190);
    expect((await getJson(fake, `/me/media?access_token=${jane}`)).status).toBe(400);
    expect((await getJson(fake, `/me?access_token=${max}`)).status).toBe(200);
    // Consenting again yields a working token.
    expect((await getJson(fake, `/me?access_token=${await longLivedToken(fake)}`)).status).toBe(200);
  });

  it("refresh refuses a token whose instagram_business_basic was withdrawn (Graph code 10)", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.removePermission("jane.doe", "instagram_business_basic");
    fake.clock.advance(2 * DAY);
    const { body } = await getJson(
      fake,
      `/refresh_access_token?grant_type=ig_refresh_token&access_token=${token}`,
    );
    expect(graphErrorOf(body).code).toBe(10);
  });
});
