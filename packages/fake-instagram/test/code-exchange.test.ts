import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import { BASE, BASIC, codeFrom, exchangeCode, HOUR, REDIRECT_URI } from "./helpers.ts";

const SCOPES = `${BASIC},instagram_business_content_publish`;

function approve(fake: ReturnType<typeof createFakeInstagram>, userId?: string) {
  return codeFrom(fake.approve({ redirectUri: REDIRECT_URI, scope: SCOPES, state: "s", userId }));
}

describe("POST /oauth/access_token", () => {
  it("answers the flat shape with user_id as a bare 17-digit JSON number and permissions as an array", async () => {
    const fake = createFakeInstagram();
    const res = await exchangeCode(fake, approve(fake));
    expect(res.status).toBe(200);
    const text = await res.text();
    // Raw text: the exact digits, unquoted. JSON.parse would round them.
    expect(text).toContain('"user_id":27640875392278831,');
    expect(String((JSON.parse(text) as { user_id: number }).user_id)).not.toBe("27640875392278831");
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(["access_token", "user_id", "permissions"]);
    expect(body.access_token).toMatch(/^IGAA/);
    expect(body.permissions).toEqual([BASIC, "instagram_business_content_publish"]);
  });

  it("answers the documented data shape when configured, and setCodeExchangeShape switches it", async () => {
    const fake = createFakeInstagram({ codeExchangeShape: "data" });
    const body = (await (await exchangeCode(fake, approve(fake, "max.creator"))).json()) as {
      data: Record<string, unknown>[];
    };
    expect(Object.keys(body)).toEqual(["data"]);
    expect(body.data).toHaveLength(1);
    expect(Object.keys(body.data[0] ?? {})).toEqual(["access_token", "user_id", "permissions"]);
    expect(body.data[0]?.user_id).toBe("28978671838402975");
    expect(body.data[0]?.permissions).toBe(SCOPES);

    fake.setCodeExchangeShape("flat");
    const text = await (await exchangeCode(fake, approve(fake))).text();
    expect(text).toMatch(/^\{"access_token":"IGAA[A-Za-z0-9]+","user_id":27640875392278831,"permissions":\[/);
  });

  it("accepts multipart/form-data bodies", async () => {
    const fake = createFakeInstagram();
    const form = new FormData();
    for (const [k, v] of Object.entries({
      client_id: "fake-client-id",
      client_secret: "fake-client-secret",
      grant_type: "authorization_code",
      redirect_uri: REDIRECT_URI,
      code: approve(fake),
    }))
      form.set(k, v);
    const res = await fake.fetch(`${BASE}/oauth/access_token`, { method: "POST", body: form });
    expect(res.status).toBe(200);
  });

  it("codes are single use", async () => {
    const fake = createFakeInstagram();
    const code = approve(fake);
    expect((await exchangeCode(fake, code)).status).toBe(200);
    const again = await exchangeCode(fake, code);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error_type: "OAuthException",
      code: 400,
      error_message: "Matching code was not found or was already used",
    });
  });

  it("codes expire after one hour on the fake clock", async () => {
    let now = 1_800_000_000_000;
    const fake = createFakeInstagram({ now: () => now });
    const fresh = approve(fake);
    const stale = approve(fake);
    now += HOUR - 1;
    expect((await exchangeCode(fake, fresh)).status).toBe(200);
    fake.clock.advance(1);
    const res = await exchangeCode(fake, stale);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_message: string }).error_message).toBe(
      "This authorization code has expired.",
    );
  });

  it.each([
    [
      "a redirect_uri not identical to the authorize request",
      { redirect_uri: `${REDIRECT_URI}?x=1` },
      "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
    ],
    ["a wrong client id (e.g. the Facebook app id)", { client_id: "123" }, "Invalid platform app"],
    ["a wrong client secret", { client_secret: "nope" }, "Error validating client secret."],
    [
      "another grant_type",
      { grant_type: "client_credentials" },
      "Unsupported grant_type: client_credentials",
    ],
    ["an unknown code", { code: "AQBnope" }, "Matching code was not found or was already used"],
    ["a missing code", { code: "" }, "Missing required parameter: code"],
  ])("refuses %s with the flat OAuth error shape and HTTP 400", async (_label, fields, message) => {
    const fake = createFakeInstagram();
    const res = await exchangeCode(fake, approve(fake), fields);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_type: "OAuthException", code: 400, error_message: message });
  });

  it("a redirect_uri mismatch does not burn the code", async () => {
    const fake = createFakeInstagram();
    const code = approve(fake);
    expect((await exchangeCode(fake, code, { redirect_uri: "http://localhost:8787/other" })).status).toBe(
      400,
    );
    expect((await exchangeCode(fake, code)).status).toBe(200);
  });

  it("the short-lived token it returns dies after one hour", async () => {
    const fake = createFakeInstagram();
    const text = await (await exchangeCode(fake, approve(fake))).text();
    const token = /"access_token":"([^"]+)"/.exec(text)?.[1];
    expect((await fake.fetch(`${BASE}/me?access_token=${token}`)).status).toBe(200);
    fake.clock.advance(HOUR);
    const res = await fake.fetch(`${BASE}/me?access_token=${token}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: number; error_subcode: number } }).error).toMatchObject({
      code: 190,
      error_subcode: 463,
    });
  });
});
