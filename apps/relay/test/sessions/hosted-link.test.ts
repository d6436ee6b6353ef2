import { env } from "cloudflare:workers";
import type { ConnectionResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { randomToken } from "../../src/crypto/base64url.ts";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { attemptExpiresAt } from "../../src/oauth/attempt-id.ts";
import { openFlow } from "../../src/oauth/flow-state.ts";
import { attemptStub } from "../../src/oauth/oauth-flow.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { configWith } from "../support/config.ts";
import { callCount, useFakeInstagram } from "../support/fake.ts";
import { callback } from "../support/flow.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { RELAY, relayFetch } from "../support/relay.ts";
import {
  continueLink,
  FROM_LINK_PAGE,
  finishLink,
  linkFlow,
  openLink,
  useLink,
} from "./hosted-link-support.ts";
import { createSession, postStart } from "./session-support.ts";

const ctx = useFakeInstagram();
const DAY_MS = 86_400_000;
const CREDENTIAL = /conn_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{20,}/;
const errorCode = (html: string) => /data-error-code="([a-z_]+)"/.exec(html)?.[1] ?? null;

async function connectionOf(apiKey: string, endUserId: string) {
  const page = await apiFetch(`/v1/api/connections?endUserId=${endUserId}`, apiKey);
  return page.json<{ items: ConnectionResponse["connection"][] }>().items;
}

describe("S40: the hosted connect link", () => {
  it("S40: the session answer carries connectUrl; its page names the site, spends nothing, runs no script and cannot be framed", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-page", displayName: "Jane <b>" } });
    expect(session.connectUrl).toMatch(
      new RegExp(`^${RELAY}/v1/connect/icl_${session.sessionId}\\.[A-Za-z0-9_-]{43}$`),
    );
    const secret = session.connectUrl.split(".").pop() ?? "";
    for (let look = 0; look < 2; look++) {
      // Twice: a mail scanner fetching the link first must not burn it.
      const page = await openLink(session.connectUrl);
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-connect-link="ready"');
      expect(page.text).toContain("app.example.com");
      expect(page.text).toContain("Jane &lt;b&gt;");
      expect(page.text).not.toContain("<script");
      expect(page.text).not.toContain(secret);
      expect(page.text).toMatch(/<form method="post"><button type="submit" id="ic-continue">/);
      const csp = page.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self' https://fake.instagram.test");
      expect(page.headers.get("X-Frame-Options")).toBe("DENY");
      expect(page.headers.get("Cache-Control")).toBe("no-store");
      expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(page.headers.get("X-Robots-Tag")).toBe("noindex, nofollow");
    }
    expect(linkFlow(await continueLink(session.connectUrl)).authorize.origin).toBe(
      "https://fake.instagram.test",
    );
  });

  it("S40: the consent binds the connection to the end user and ends on a result page with no credential; returnUrl gets ic_result", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, {
      endUser: { id: "link-ok" },
      metadata: { plan: "pro" },
      returnUrl: "https://app.example.com/settings?tab=instagram",
    });
    const page = await useLink(ctx.fake, session.connectUrl, "jane.doe");
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-result="connected"');
    expect(page.text).toContain("@jane.doe");
    expect(page.text).toContain(
      'href="https://app.example.com/settings?tab=instagram&amp;ic_result=connected"',
    );
    // Whoever opened the link learns the outcome, never a credential, receipt or token.
    expect(page.text).not.toMatch(CREDENTIAL);
    expect(page.text).not.toContain("<script");
    expect(page.text).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
    const [connection] = await connectionOf(apiKey, "link-ok");
    expect(connection).toMatchObject({
      status: "active",
      endUserId: "link-ok",
      origin: "https://app.example.com",
      metadata: { plan: "pro" },
      profile: { username: "jane.doe" },
    });
  });

  it("S40: a denied consent ends on a failure page with its code and the return link; nothing is stored", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, {
      endUser: { id: "link-denied" },
      returnUrl: "https://app.example.com/back",
    });
    const flow = linkFlow(await continueLink(session.connectUrl));
    const page = await callback(
      ctx.fake.deny({ redirectUri: env.INSTAGRAM_REDIRECT_URI, state: flow.state }),
      flow.cookie,
    );
    expect([page.status, errorCode(page.text)]).toEqual([200, "access_denied"]);
    expect(page.text).toContain('href="https://app.example.com/back?ic_result=access_denied"');
    expect(await connectionOf(apiKey, "link-denied")).toEqual([]);
  });

  it("S40: of two concurrent uses exactly one proceeds; the used link, its replay and the session's widget token are refused", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-race" } });
    const both = await Promise.all([continueLink(session.connectUrl), continueLink(session.connectUrl)]);
    expect(both.map((response) => response.status).sort()).toEqual([303, 401]);
    const loser = both.find((response) => response.status === 401);
    expect(errorCode(loser?.text ?? "")).toBe("invalid_session");
    expect(loser?.headers.get("Set-Cookie")).toBeNull();
    // Replays after the race: the page says so, the button does nothing, the widget token is spent too.
    const again = await openLink(session.connectUrl);
    expect([again.status, errorCode(again.text)]).toEqual([401, "invalid_session"]);
    expect(again.text).toContain("expired or was already used");
    expect((await continueLink(session.connectUrl)).status).toBe(401);
    expect((await postStart(session.token)).response.status).toBe(401);
  });

  it("S40: a link expires with its session", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-expiry" }, ttlSeconds: 60 });
    ctx.fake.clock.advance(61_000);
    expect((await openLink(session.connectUrl)).status).toBe(401);
    expect((await continueLink(session.connectUrl)).status).toBe(401);
  });

  it("S40: a forged, malformed or another session's link is refused and spends nothing", async () => {
    const apiKey = await newApiKey();
    const a = await createSession(apiKey, { endUser: { id: "link-a" } });
    const b = await createSession(apiKey, { endUser: { id: "link-b" } });
    const secretOfB = b.connectUrl.split(".").pop() ?? "";
    const forged = [
      `${RELAY}/v1/connect/icl_${a.sessionId}.${secretOfB}`,
      `${RELAY}/v1/connect/icl_${a.sessionId}.${"A".repeat(43)}`,
      `${RELAY}/v1/connect/ics_${a.sessionId}.${secretOfB}`,
      `${RELAY}/v1/connect/icl_${a.sessionId}`,
      `${RELAY}/v1/connect/${"x".repeat(300)}`,
    ];
    for (const url of forged) {
      expect([(await openLink(url)).status, (await continueLink(url)).status]).toEqual([401, 401]);
    }
    // The session token is not a link: it cannot be used in one either.
    expect((await continueLink(`${RELAY}/v1/connect/${a.token.replace("ics_", "icl_")}`)).status).toBe(401);
    expect(linkFlow(await continueLink(a.connectUrl)).state).not.toBe("");
    expect(linkFlow(await continueLink(b.connectUrl)).state).not.toBe("");
  });

  it("S40: a POST not sent by the link's own page (another site, no form, JSON) is refused and spends nothing", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-csrf" } });
    const attempts: Record<string, string>[] = [
      { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site" },
      { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://app.example.com" },
      { "Content-Type": "application/json", Origin: RELAY },
      { "Content-Type": "text/plain", Origin: "https://evil.example" },
    ];
    for (const headers of attempts) {
      const refused = await continueLink(session.connectUrl, headers);
      expect([refused.status, errorCode(refused.text)]).toEqual([400, "invalid_request"]);
    }
    const tooBig = await continueLink(session.connectUrl, FROM_LINK_PAGE, "x".repeat(2048));
    expect(tooBig.status).toBe(413);
    expect((await continueLink(session.connectUrl)).status).toBe(303);
  });

  it("S40: only the browser that clicked can finish: the callback without its binding cookie is refused, then the real browser finishes", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-binding" } });
    const flow = linkFlow(await continueLink(session.connectUrl));
    const back = ctx.fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: flow.scope,
      state: flow.state,
    });
    const stolen = await callback(back, "__Host-ic_flow_x=y");
    expect(errorCode(stolen.text)).toBe("invalid_state");
    expect(await connectionOf(apiKey, "link-binding")).toEqual([]);
    const page = await callback(back, flow.cookie);
    expect(page.text).toContain('data-result="connected"');
  });

  it("S35, S40: the link's flow is sealed with a relay-issued attempt holding its session; the callback claims it once and stores no result", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-claim" } });
    const flow = linkFlow(await continueLink(session.connectUrl));
    const [name = "", sealed = ""] = flow.cookie.split("=");
    const flowId = name.replace("__Host-ic_flow_", "");
    const opened = await openFlow(configWith().vault.keys, flowId, sealed);
    expect(opened).toMatchObject({
      sessionId: session.sessionId,
      hosted: { returnUrl: null },
      returnTo: null,
    });
    const attemptId = opened?.attemptId ?? "";
    // MAC'd by the relay (the callback's claim needs it), for a challenge nobody holds a verifier of.
    expect(attemptId).toMatch(/^[A-Za-z0-9_-]{50}$/);
    const back = ctx.fake.approve({
      redirectUri: env.INSTAGRAM_REDIRECT_URI,
      scope: flow.scope,
      state: flow.state,
    });
    expect((await callback(back, flow.cookie)).text).toContain('data-result="connected"');
    // A replay of the same callback (state and cookie) is refused by the attempt's claim.
    const replay = await callback(back, flow.cookie);
    expect(errorCode(replay.text)).toBe("invalid_state");
    expect(callCount(ctx.fake, "code_exchange")).toBe(1);
    // Nothing to collect: the attempt's object holds no result, and no verifier polls it.
    const expiresAt = attemptExpiresAt(attemptId) ?? 0;
    const stored = await attemptStub(env.OAUTH_FLOWS, attemptId).poll(expiresAt, ctx.fake.clock.now());
    expect(stored.status).not.toBe("complete");
    const polled = await relayFetch(`/v1/oauth/attempts/${attemptId}`, {
      headers: { "X-Attempt-Verifier": randomToken(32), Origin: "https://app.example.com" },
    });
    expect(polled.status).toBe(404);
  });

  it("S40: the link's secret never reaches a log line; the request line keeps the session id", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "link-log" } });
    const secret = session.connectUrl.split(".").pop() ?? "";
    await openLink(session.connectUrl);
    await continueLink(session.connectUrl);
    await continueLink(session.connectUrl); // refused (used): its log lines too
    const logs = capturedLogs();
    expect(logs.join("\n")).not.toContain(secret);
    const requests = logs.filter(
      (line) => line.includes('"event":"request"') && line.includes(`/v1/connect/icl_${session.sessionId}`),
    );
    expect(requests).toHaveLength(3);
    for (const line of requests) expect(line).toContain(`/v1/connect/icl_${session.sessionId}.[redacted]`);
  });
});

describe("S41: reconnect through the hosted link", () => {
  it("S41: a reauth_required connection becomes active again after the consent through its reconnect link", async () => {
    const apiKey = await newApiKey();
    const first = await createSession(apiKey, { endUser: { id: "link-reauth" } });
    await useLink(ctx.fake, first.connectUrl, "jane.doe");
    const [before] = await connectionOf(apiKey, "link-reauth");
    if (!before) throw new Error("no connection");
    // The token is revoked; the next refresh marks the connection reauth_required.
    ctx.fake.clock.advance(54 * DAY_MS);
    ctx.fake.revokeUser("jane.doe");
    await coordinatorFor(env, before.id).refresh(before.id);
    expect((await connectionOf(apiKey, "link-reauth"))[0]?.status).toBe("reauth_required");

    const reconnect = await createSession(apiKey, {
      endUser: { id: "link-reauth" },
      reconnectConnectionId: before.id,
      returnUrl: "https://app.example.com/connected",
    });
    const page = await openLink(reconnect.connectUrl);
    expect(page.text).toContain("Reconnect your Instagram account");
    expect(page.text).toContain("@jane.doe");
    const done = await finishLink(ctx.fake, linkFlow(await continueLink(reconnect.connectUrl)), "jane.doe");
    expect(done.text).toContain('data-result="connected"');
    const after = await connectionOf(apiKey, "link-reauth");
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, status: "active", endUserId: "link-reauth" });
  });

  it("S41: a link of end user A cannot touch B's connection: a reconnect signed in as B's account is refused, a plain link makes A's own", async () => {
    const apiKey = await newApiKey();
    await useLink(
      ctx.fake,
      (await createSession(apiKey, { endUser: { id: "link-b-owner" } })).connectUrl,
      "max.creator",
    );
    await useLink(
      ctx.fake,
      (await createSession(apiKey, { endUser: { id: "link-a-owner" } })).connectUrl,
      "jane.doe",
    );
    const [ofB] = await connectionOf(apiKey, "link-b-owner");
    const [ofA] = await connectionOf(apiKey, "link-a-owner");
    if (!ofA || !ofB) throw new Error("missing connections");
    // A's reconnect session cannot even name B's connection.
    const naming = await apiFetch("/v1/api/connect-sessions", apiKey, {
      method: "POST",
      body: JSON.stringify({ endUser: { id: "link-a-owner" }, reconnectConnectionId: ofB.id }),
    });
    expect(naming.status).toBe(404);
    // A's reconnect link, signed in to B's Instagram account: refused, nothing changes.
    const reconnectA = await createSession(apiKey, {
      endUser: { id: "link-a-owner" },
      reconnectConnectionId: ofA.id,
    });
    const mismatch = await useLink(ctx.fake, reconnectA.connectUrl, "max.creator");
    expect(errorCode(mismatch.text)).toBe("account_mismatch");
    // A's plain link with B's Instagram account: A gets an independent connection; B's is untouched.
    const plainA = await createSession(apiKey, { endUser: { id: "link-a-owner" } });
    expect((await useLink(ctx.fake, plainA.connectUrl, "max.creator")).text).toContain(
      'data-result="connected"',
    );
    expect((await connectionOf(apiKey, "link-b-owner")).map((view) => [view.id, view.updatedAt])).toEqual([
      [ofB.id, ofB.updatedAt],
    ]);
    const ofANow = await connectionOf(apiKey, "link-a-owner");
    expect(ofANow.map((view) => view.profile.username).sort()).toEqual(["jane.doe", "max.creator"]);
    expect(ofANow.every((view) => view.id !== ofB.id)).toBe(true);
  });

  it("S40: a returnUrl outside the session's origins is refused at creation", async () => {
    const apiKey = await newApiKey();
    const post = (body: unknown) =>
      apiFetch("/v1/api/connect-sessions", apiKey, { method: "POST", body: JSON.stringify(body) });
    const code = (response: { json<T>(): T }) => response.json<{ error: { code: string } }>().error.code;
    const foreign = await post({ endUser: { id: "r" }, returnUrl: "https://evil.example/back" });
    expect([foreign.status, code(foreign)]).toEqual([400, "return_to_not_allowed"]);
    const notInSession = await post({
      endUser: { id: "r" },
      allowedOrigins: ["http://localhost:5173"],
      returnUrl: "https://app.example.com/back",
    });
    expect([notInSession.status, code(notInSession)]).toEqual([400, "return_to_not_allowed"]);
    for (const returnUrl of ["javascript:alert(1)//https://app.example.com", "not a url", 7]) {
      const bad = await post({ endUser: { id: "r" }, returnUrl });
      expect([bad.status, code(bad)]).toEqual([400, "invalid_request"]);
    }
  });
});
