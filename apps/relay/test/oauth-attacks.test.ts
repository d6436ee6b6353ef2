import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomToken } from "../src/crypto/base64url.ts";
import { callCount, useFakeInstagram } from "./support/fake.ts";
import {
  approve,
  callback,
  newAttempt,
  pollAttempt,
  postedMessage,
  startFlow,
  startPath,
} from "./support/flow.ts";
import { relayFetch, SITE } from "./support/relay.ts";

const ctx = useFakeInstagram();

function expectLocalError(
  response: { status: number; headers: Headers; text: string },
  code: string,
  status = 400,
) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Location")).toBeNull();
  expect(response.text).toContain(`data-error-code="${code}"`);
  expect(response.text).not.toContain("postMessage");
  expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
}

describe("S1/S2: state", () => {
  it("S1: a replayed state is refused and the code is not exchanged again", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = approve(fake, flow);
    expect((await callback(url, flow.cookie)).status).toBe(200);
    expectLocalError(await callback(url, flow.cookie), "invalid_state");
    expect(callCount(fake, "code_exchange")).toBe(1);
  });

  it("S1: a state presented without the starting browser's cookie is refused; the real browser still finishes", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = approve(fake, flow);
    expectLocalError(await callback(url), "invalid_state");
    const cookieName = flow.cookie.split("=")[0];
    expectLocalError(await callback(url, `${cookieName}=${randomToken(32)}`), "invalid_state");
    const other = await startFlow();
    expectLocalError(await callback(url, other.cookie), "invalid_state");
    expect(callCount(fake, "code_exchange")).toBe(0);
    expect(postedMessage((await callback(url, flow.cookie)).text).message.result.ok).toBe(true);
  });

  it("S1: an expired state (older than 10 minutes) is refused without an exchange", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = approve(fake, flow);
    fake.clock.advance(10 * 60_000 + 1);
    expectLocalError(await callback(url, flow.cookie), "invalid_state");
    expect(callCount(fake, "code_exchange")).toBe(0);
  });

  it.each([
    ["a random flow id and MAC", () => `${randomToken(16)}.${randomToken(32)}`],
    ["garbage", () => "not-a-state"],
    ["an empty state", () => ""],
  ])("S1: a forged state (%s) is refused as invalid_state", async (_label, forge) => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = new URL(approve(fake, flow));
    url.searchParams.set("state", forge());
    expectLocalError(await callback(url.href, flow.cookie), "invalid_state");
    expect(callCount(fake, "code_exchange")).toBe(0);
  });

  it("S1: a state whose MAC was altered is refused", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = new URL(approve(fake, flow));
    const [flowId, mac = ""] = flow.state.split(".");
    url.searchParams.set("state", `${flowId}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`);
    expectLocalError(await callback(url.href, flow.cookie), "invalid_state");
  });

  it("S1: a callback without state is refused", async () => {
    expectLocalError(await callback("https://relay.test/v1/oauth/callback?code=abc"), "invalid_state");
  });

  it("S2: two concurrent callbacks with one state give exactly one code exchange", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const url = approve(fake, flow);
    const [a, b] = await Promise.all([callback(url, flow.cookie), callback(url, flow.cookie)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect(callCount(fake, "code_exchange")).toBe(1);
    const winner = a.status === 200 ? a : b;
    expect(postedMessage(winner.text).message.result.ok).toBe(true);
  });

  it("S6: a code already used is refused by Instagram and reported as code_exchange_failed", async () => {
    const { fake } = ctx;
    const first = await startFlow();
    const used = new URL(approve(fake, first));
    await callback(used.href, first.cookie);
    const second = await startFlow();
    const replay = new URL(used);
    replay.searchParams.set("state", second.state);
    const { message } = postedMessage((await callback(replay.href, second.cookie)).text);
    expect(message.result).toMatchObject({ ok: false, error: { code: "code_exchange_failed" } });
    expect(JSON.stringify(message)).not.toContain(used.searchParams.get("code"));
  });

  it("S9: the result goes only to the origin that started the flow", async () => {
    const { fake } = ctx;
    const attempt = await newAttempt();
    const start = await relayFetch(startPath(attempt, { origin: "http://localhost:5173" }));
    const authorize = new URL(start.headers.get("Location") ?? "");
    const cookie = (start.headers.get("Set-Cookie") ?? "").split(";")[0];
    const url = fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: authorize.searchParams.get("scope") ?? "",
      state: authorize.searchParams.get("state") ?? "",
    });
    const { targetOrigin, message } = postedMessage((await callback(url, cookie)).text);
    expect(targetOrigin).toBe("http://localhost:5173");
    expect(message.attemptId).toBe(attempt.attemptId);
  });
});

describe("S4/S5: origins and return URLs", () => {
  const lookalikes = [
    "https://app.example.com.evil.com",
    "https://evil.com\\@app.example.com",
    "https://evil.com#@app.example.com",
    "https://app.example.com.",
    "https://APP.example.com",
    "https://app.example.com:443",
    "https://app.example.com:8443",
    "http://app.example.com",
    "//app.example.com",
    "app.example.com",
    "https://app.example.com/",
    "javascript:alert(1)",
    "data:text/html,hi",
    "https://аpp.example.com",
    "https://xn--pp-7ka.example.com",
    "https://evilapp.example.com",
    "https://example.com",
    "null",
    "*",
    "",
  ];

  it.each(lookalikes)(
    "S4: refuses the lookalike origin %j with a local page, no redirect",
    async (origin) => {
      const attempt = await newAttempt();
      const response = await relayFetch(startPath(attempt, { origin }));
      expectLocalError(response, "origin_not_allowed");
      expect(response.headers.get("Set-Cookie")).toBeNull();
    },
  );

  it("S4: refuses a forwarded host trick (x-forwarded-host is never trusted)", async () => {
    const attempt = await newAttempt();
    const response = await relayFetch(startPath(attempt, { origin: "https://evil.example" }), {
      headers: { "X-Forwarded-Host": "app.example.com", Origin: SITE },
    });
    expectLocalError(response, "origin_not_allowed");
  });

  it.each([
    "https://evil.example/connected",
    "https://app.example.com/connected/",
    "https://app.example.com/connected?next=https://evil.example",
    "https://app.example.com/Connected",
    "https://app.example.com.evil.com/connected",
    "https://app.example.com/connected#x",
    "//evil.example/connected",
    "javascript:alert(1)",
  ])("S5: refuses returnTo %j with a local page, never redirecting there", async (returnTo) => {
    const attempt = await newAttempt();
    const response = await relayFetch(startPath(attempt, { mode: "redirect", returnTo }));
    expectLocalError(response, "return_to_not_allowed");
  });

  it.each([
    ["a bad mode", { mode: "tab" }],
    ["a short attempt id", { attemptId: "short" }],
    ["a malformed challenge", { challenge: "x" }],
    ["an unknown scope", { scopes: "instagram_business_basic,user_profile" }],
    ["a scope the relay does not allow", { scopes: "instagram_business_manage_messages" }],
    ["space-separated scopes", { scopes: "instagram_business_basic instagram_business_content_publish" }],
    ["returnTo in popup mode", { returnTo: "https://app.example.com/connected" }],
    ["redirect mode without returnTo", { mode: "redirect" }],
    ["a bad forceLogin", { forceLogin: "yes" }],
  ])("S5: %s gets a local error page, never a redirect", async (_label, params) => {
    const attempt = await newAttempt();
    const response = await relayFetch(startPath(attempt, params));
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
    expect(response.text).toMatch(/data-error-code="(invalid_request|scope_not_allowed)"/);
  });

  it("answers JSON with the same code when asked for application/json", async () => {
    const attempt = await newAttempt();
    const response = await relayFetch(startPath(attempt, { origin: "https://evil.example" }), {
      headers: { Accept: "application/json" },
    });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      error: { code: "origin_not_allowed", message: "This site is not allowed to use this relay." },
    });
  });

  it("refuses a repeated origin parameter", async () => {
    const attempt = await newAttempt();
    const response = await relayFetch(`${startPath(attempt)}&origin=https://evil.example`);
    expectLocalError(response, "invalid_request");
  });
});

describe("attempts", () => {
  it("S13: a wrong verifier looks like an unknown attempt and does not consume the result", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    await callback(approve(fake, flow), flow.cookie);
    const wrong = await pollAttempt(flow.attempt, randomToken(32));
    expect(wrong.status).toBe(404);
    expect(wrong.json()).toMatchObject({ error: { code: "attempt_not_found" } });
    expect((await pollAttempt(flow.attempt, "")).status).toBe(404);
    expect((await pollAttempt(flow.attempt)).json()).toMatchObject({ status: "complete" });
  });

  it("S13: an attempt expires 10 minutes after start", async () => {
    const flow = await startFlow();
    ctx.fake.clock.advance(10 * 60_000);
    expect((await pollAttempt(flow.attempt)).status).toBe(404);
  });

  it("S13: a completed result stays only briefly", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    await callback(approve(fake, flow), flow.cookie);
    fake.clock.advance(61_000);
    expect((await pollAttempt(flow.attempt)).status).toBe(404);
  });

  it("S35: refuses a relay-issued attempt id with another challenge than it was issued for", async () => {
    const attempt = await newAttempt();
    expect((await relayFetch(startPath(attempt))).status).toBe(302);
    const other = await newAttempt();
    const response = await relayFetch(startPath({ ...attempt, challenge: other.challenge }));
    expectLocalError(response, "attempt_not_found", 404);
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("S16/S17: CORS and headers", () => {
  it("S16: CORS answers only exact allowlisted origins, always with Vary: Origin", async () => {
    const attempt = await newAttempt();
    const evil = await relayFetch(`/v1/oauth/attempts/${attempt.attemptId}`, {
      headers: { Origin: "https://app.example.com.evil.com", "X-Attempt-Verifier": attempt.verifier },
    });
    expect(evil.headers.get("Access-Control-Allow-Origin")).toBeNull();
    expect(evil.headers.get("Vary")).toContain("Origin");

    const preflight = await relayFetch("/v1/connections/me", {
      method: "OPTIONS",
      headers: { Origin: SITE, "Access-Control-Request-Method": "DELETE" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toBe("Authorization, X-Attempt-Verifier");
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toBe("GET, DELETE, OPTIONS");
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBeNull();

    const refused = await relayFetch("/v1/connections/me", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example" },
    });
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("S17: every response carries HSTS and nosniff, 404s answer not_found JSON", async () => {
    const attempt = await newAttempt();
    const responses = [
      await relayFetch("/health"),
      await relayFetch("/nope"),
      await relayFetch(startPath(attempt, { origin: "https://evil.example" })),
      await relayFetch("/v1/connections/me"),
      await relayFetch(startPath(attempt)),
    ];
    for (const response of responses) {
      expect(response.headers.get("Strict-Transport-Security")).toContain("max-age=");
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
    expect(responses[1]?.json()).toEqual({ error: { code: "not_found", message: "No such route." } });
  });

  it("a bad or missing credential answers 401 unauthorized", async () => {
    for (const authorization of ["", "Bearer nope", `Bearer conn_${randomToken(16)}.${randomToken(32)}`]) {
      const response = await relayFetch("/v1/connections/me", { headers: { Authorization: authorization } });
      expect(response.status).toBe(401);
      expect(response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});
