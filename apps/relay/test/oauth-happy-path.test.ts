import { env } from "cloudflare:workers";
import type { AttemptResponse, ConnectionResponse, OAuthResultMessage } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { connectionKey, instagramIdKey, instagramUserIdKey } from "../src/storage/kv-keys.ts";
import { callCount, useFakeInstagram } from "./support/fake.ts";
import { approve, callback, pollAttempt, postedMessage, startFlow } from "./support/flow.ts";
import { RETURN_TO, relayFetch, SITE } from "./support/relay.ts";

const ctx = useFakeInstagram();

function bearer(message: OAuthResultMessage): Record<string, string> {
  if (!message.result.ok) throw new Error("expected a successful result");
  return { Authorization: `Bearer ${message.result.handle.credential}`, Origin: SITE };
}

describe("consent flow, popup mode", () => {
  it("S3: start redirects to Instagram's authorize URL with exactly the expected parameters", async () => {
    const flow = await startFlow({ scopes: "instagram_business_content_publish" });
    expect(flow.authorize.origin + flow.authorize.pathname).toBe(
      "https://fake.instagram.test/oauth/authorize",
    );
    expect(Object.fromEntries(flow.authorize.searchParams)).toEqual({
      client_id: "test-client-id",
      redirect_uri: "https://relay.test/v1/oauth/callback",
      response_type: "code",
      scope: "instagram_business_basic,instagram_business_content_publish",
      state: flow.state,
    });
    expect(flow.state).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const setCookie = flow.response.headers.get("Set-Cookie") ?? "";
    // The cookie holds the flow itself, sealed (kid.iv.ciphertext): nothing is stored at a start.
    expect(setCookie).toMatch(
      /^__Host-ic_flow_[A-Za-z0-9_-]{22}=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+; /,
    );
    expect(setCookie).not.toContain(SITE);
    for (const attribute of ["Path=/", "Max-Age=600", "HttpOnly", "Secure", "SameSite=Lax"]) {
      expect(setCookie).toContain(attribute);
    }
    expect(flow.response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("S7: asks only for instagram_business_basic by default; forceLogin adds the account-switch flags", async () => {
    const flow = await startFlow({ forceLogin: "1" });
    expect(flow.authorize.searchParams.get("scope")).toBe("instagram_business_basic");
    expect(flow.authorize.searchParams.get("force_authentication")).toBe("1");
    expect(flow.authorize.searchParams.get("enable_fb_login")).toBe("0");
  });

  it("S8, S10: connects, stores the token encrypted, posts to the exact origin, and the credential works until disconnect", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const page = await callback(approve(fake, flow), flow.cookie);

    // The popup page (S8, S10).
    expect(page.status).toBe(200);
    const csp = page.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(page.text).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.text).not.toMatch(/<(script|link|img)[^>]+src=/);
    expect(page.text).toContain("You can close this window.");
    expect(page.headers.get("Set-Cookie")).toContain("Max-Age=0");

    const { message, targetOrigin } = postedMessage(page.text);
    expect(targetOrigin).toBe(SITE);
    expect(message).toMatchObject({
      type: "instagram-connect:oauth-result",
      version: 1,
      attemptId: flow.attempt.attemptId,
      result: {
        ok: true,
        connection: {
          status: "active",
          scopes: ["instagram_business_basic"],
          profile: {
            id: "27640875392278831",
            userId: "17841477965412211",
            username: "jane.doe",
            accountType: "BUSINESS",
          },
        },
      },
    });
    if (!message.result.ok) throw new Error("unreachable");
    const { handle, connection } = message.result;
    expect(handle.credential.startsWith(`${handle.connectionId}.`)).toBe(true);
    expect(Date.parse(connection.tokenExpiresAt) - fake.clock.now()).toBeGreaterThan(59 * 86_400_000);

    // Stored encrypted, indexed by both Instagram ids, no token in KV values or key names (S19, S22).
    const raw = (await env.CONNECTIONS.get(connectionKey(handle.connectionId))) ?? "";
    expect(raw).toContain('"accessToken":"v1.k1.');
    expect(raw).not.toContain(handle.credential);
    expect(raw).not.toMatch(/IGAA|"access_token"/);
    expect(await env.CONNECTIONS.get(instagramIdKey("27640875392278831"))).toBe(handle.connectionId);
    expect(await env.CONNECTIONS.get(instagramUserIdKey("17841477965412211"))).toBe(handle.connectionId);
    const keys = (await env.CONNECTIONS.list()).keys.map((key) => key.name);
    expect(keys.some((name) => name.startsWith("due:") && name.endsWith(`:${handle.connectionId}`))).toBe(
      true,
    );
    expect(keys.join("\n")).not.toContain(handle.credential.split(".")[1]);

    // The attempt completes exactly once (S13).
    const first = await pollAttempt(flow.attempt);
    expect(first.status).toBe(200);
    expect(first.json<AttemptResponse>()).toEqual({ status: "complete", result: message.result });
    expect((await pollAttempt(flow.attempt)).status).toBe(404);

    // The credential reads the connection, then disconnects it.
    const me = await relayFetch("/v1/connections/me", { headers: bearer(message) });
    expect(me.status).toBe(200);
    expect(me.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(me.json<ConnectionResponse>().connection).toEqual(connection);
    const gone = await relayFetch("/v1/connections/me", { method: "DELETE", headers: bearer(message) });
    expect(gone.json()).toEqual({ disconnected: true, connectionId: handle.connectionId });
    const after = await relayFetch("/v1/connections/me", { headers: bearer(message) });
    expect(after.status).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: "unauthorized" } });
    // The audit trail stays (connection id + event only, no personal data: see STORAGE.md).
    const left = (await env.CONNECTIONS.list()).keys
      .map((key) => key.name)
      .filter((name) => !name.startsWith("audit:"));
    expect(
      left.filter((name) => name.includes(handle.connectionId) || name.includes("27640875392278831")),
    ).toEqual([]);
    expect(callCount(fake, "code_exchange")).toBe(1);
  });

  it("reads the 17-digit user ids exactly and normalises a Media_Creator account type", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const page = await callback(approve(fake, flow, "max.creator"), flow.cookie);
    const { message } = postedMessage(page.text);
    expect(message.result).toMatchObject({
      ok: true,
      connection: {
        profile: { id: "28978671838402975", userId: "17841400000000037", accountType: "MEDIA_CREATOR" },
      },
    });
  });

  it("accepts the documented { data: [...] } code exchange shape too", async () => {
    const { fake } = ctx;
    fake.setCodeExchangeShape("data");
    const flow = await startFlow();
    const { message } = postedMessage((await callback(approve(fake, flow), flow.cookie)).text);
    expect(message.result.ok).toBe(true);
  });

  it("S31: reconnecting the same account keeps one connection and never logs out the earlier widget", async () => {
    const { fake } = ctx;
    const flowA = await startFlow();
    const first = postedMessage((await callback(approve(fake, flowA), flowA.cookie)).text).message;
    const flowB = await startFlow();
    const second = postedMessage((await callback(approve(fake, flowB), flowB.cookie)).text).message;
    if (!first.result.ok || !second.result.ok) throw new Error("expected two successes");
    expect(second.result.handle.connectionId).toBe(first.result.handle.connectionId);
    expect(second.result.handle.credential).not.toBe(first.result.handle.credential);
    expect(second.result.connection.connectedAt).toBe(first.result.connection.connectedAt);
    expect((await relayFetch("/v1/connections/me", { headers: bearer(first) })).status).toBe(200);
    expect((await relayFetch("/v1/connections/me", { headers: bearer(second) })).status).toBe(200);
    // Disconnecting (from either widget) ends them all.
    await relayFetch("/v1/connections/me", { method: "DELETE", headers: bearer(second) });
    expect((await relayFetch("/v1/connections/me", { headers: bearer(first) })).status).toBe(401);
  });

  it("S31: a connection keeps the newest credential and four earlier ones", async () => {
    const { fake } = ctx;
    const messages = [];
    for (let i = 0; i < 6; i++) {
      const flow = await startFlow();
      messages.push(postedMessage((await callback(approve(fake, flow), flow.cookie)).text).message);
    }
    const statuses = [];
    for (const message of messages) {
      statuses.push((await relayFetch("/v1/connections/me", { headers: bearer(message) })).status);
    }
    expect(statuses).toEqual([401, 200, 200, 200, 200, 200]);
  });

  it("a connection whose token expired reads as reauth_required", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const { message } = postedMessage((await callback(approve(fake, flow), flow.cookie)).text);
    fake.clock.advance(61 * 86_400_000);
    const me = await relayFetch("/v1/connections/me", { headers: bearer(message) });
    expect(me.json<ConnectionResponse>().connection.status).toBe("reauth_required");
  });

  it("the attempt is pending before the callback", async () => {
    const flow = await startFlow();
    const poll = await pollAttempt(flow.attempt);
    expect(poll.status).toBe(200);
    const body = poll.json<AttemptResponse>();
    expect(body.status).toBe("pending");
    if (body.status === "pending") {
      expect(Date.parse(body.expiresAt) - ctx.fake.clock.now()).toBeLessThanOrEqual(10 * 60_000);
    }
  });
});

describe("consent flow, redirect mode", () => {
  it("303s back to the exact returnTo with only the attempt id, and polling yields the result", async () => {
    const { fake } = ctx;
    const flow = await startFlow({ mode: "redirect" });
    const back = await callback(approve(fake, flow), flow.cookie);
    expect(back.status).toBe(303);
    expect(back.headers.get("Location")).toBe(`${RETURN_TO}?ic_attempt=${flow.attempt.attemptId}`);
    const poll = (await pollAttempt(flow.attempt)).json<AttemptResponse>();
    expect(poll).toMatchObject({ status: "complete", result: { ok: true } });
  });
});

describe("denial", () => {
  it("popup: a denial with state posts { ok: false, access_denied } and completes the attempt", async () => {
    const { fake } = ctx;
    const flow = await startFlow();
    const page = await callback(
      fake.deny({ redirectUri: env.INSTAGRAM_REDIRECT_URI, state: flow.state }),
      flow.cookie,
    );
    const { message, targetOrigin } = postedMessage(page.text);
    expect(targetOrigin).toBe(SITE);
    expect(message.result).toEqual({
      ok: false,
      error: { code: "access_denied", message: "The Instagram account owner did not allow access." },
    });
    expect((await pollAttempt(flow.attempt)).json()).toEqual({ status: "complete", result: message.result });
    expect(callCount(fake, "code_exchange")).toBe(0);
  });

  it("redirect: a denial 303s back to returnTo", async () => {
    const { fake } = ctx;
    const flow = await startFlow({ mode: "redirect" });
    const back = await callback(
      fake.deny({ redirectUri: env.INSTAGRAM_REDIRECT_URI, state: flow.state }),
      flow.cookie,
    );
    expect(back.headers.get("Location")).toBe(`${RETURN_TO}?ic_attempt=${flow.attempt.attemptId}`);
  });

  it("S5: a denial without state shows a local page and redirects nowhere", async () => {
    const { fake } = ctx;
    const page = await callback(fake.deny({ redirectUri: env.INSTAGRAM_REDIRECT_URI, echoState: false }));
    expect(page.status).toBe(403);
    expect(page.headers.get("Location")).toBeNull();
    expect(page.text).toContain('data-error-code="access_denied"');
  });
});
