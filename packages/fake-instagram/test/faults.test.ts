import { describe, expect, it } from "vitest";
import { createFakeInstagram } from "../src/index.ts";
import {
  BASE,
  codeFrom,
  DAY,
  exchangeCode,
  getJson,
  graphErrorOf,
  longLivedToken,
  REDIRECT_URI,
} from "./helpers.ts";

describe("fault injection", () => {
  it("http_5xx fails the next call only (times defaults to 1) with a transient Graph error", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "me", kind: "http_5xx" });
    const failed = await getJson(fake, `/me?access_token=${token}`);
    expect(failed.status).toBe(500);
    expect(graphErrorOf(failed.body)).toMatchObject({ code: 2, is_transient: true });
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
  });

  it("honours times and status, and only hits the targeted endpoint", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "media", kind: "http_5xx", status: 503, times: 2 });
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
    expect((await getJson(fake, `/me/media?access_token=${token}`)).status).toBe(503);
    expect((await getJson(fake, `/v25.0/me/media?access_token=${token}`)).status).toBe(503);
    expect((await getJson(fake, `/me/media?access_token=${token}`)).status).toBe(200);
    expect(fake.faults.pending).toBe(0);
  });

  it.each([4, 17, 32, 613, 80002])(
    "rate_limit answers Graph code %i with HTTP 400 and full usage",
    async (code) => {
      const fake = createFakeInstagram();
      const token = await longLivedToken(fake);
      fake.faults.inject({ endpoint: "any", kind: "rate_limit", code });
      const res = await fake.fetch(`${BASE}/me?access_token=${token}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as Record<string, unknown>;
      expect(graphErrorOf(body)).toMatchObject({
        code,
        type: code === 80002 ? "IGApiException" : "OAuthException",
      });
      const usage = JSON.parse(res.headers.get("x-business-use-case-usage") ?? "{}") as Record<
        string,
        { call_count: number }[]
      >;
      expect(usage["17841477965412211"]?.[0]?.call_count).toBe(100);
    },
  );

  it("token_revoked answers 190/460 once without revoking the token", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.clock.advance(2 * DAY);
    fake.faults.inject({ endpoint: "refresh", kind: "token_revoked" });
    const res = await getJson(
      fake,
      `/refresh_access_token?grant_type=ig_refresh_token&access_token=${token}`,
    );
    expect(graphErrorOf(res.body)).toMatchObject({ code: 190, error_subcode: 460 });
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
  });

  it("malformed_json answers 200 with a truncated JSON body", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "long_lived", kind: "malformed_json" });
    fake.faults.inject({ endpoint: "me", kind: "malformed_json" });
    const res = await fake.fetch(`${BASE}/me?access_token=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("code_exchange faults use the flat OAuth error shape", async () => {
    const fake = createFakeInstagram();
    const code = codeFrom(fake.approve({ redirectUri: REDIRECT_URI, scope: "instagram_business_basic" }));
    fake.faults.inject({ endpoint: "code_exchange", kind: "rate_limit", code: 4 });
    const res = await exchangeCode(fake, code);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error_type: "OAuthException",
      code: 4,
      error_message: "Application request limit reached",
    });
    // The code was not consumed by the failed call.
    expect((await exchangeCode(fake, code)).status).toBe(200);
  });

  it("timeout hangs until the caller's signal aborts; fetch rejects like a real fetch", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "me", kind: "timeout" });
    const controller = new AbortController();
    const pending = fake.fetch(`${BASE}/me?access_token=${token}`, { signal: controller.signal });
    let settled = false;
    void pending.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
  });

  it("timeout with delayMs answers normally once the delay passed (a slow upstream)", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "any", kind: "timeout", delayMs: 5 });
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
  });

  it("clear drops pending faults", async () => {
    const fake = createFakeInstagram();
    const token = await longLivedToken(fake);
    fake.faults.inject({ endpoint: "any", kind: "http_5xx", times: 3 });
    fake.faults.clear();
    expect((await getJson(fake, `/me?access_token=${token}`)).status).toBe(200);
  });
});
