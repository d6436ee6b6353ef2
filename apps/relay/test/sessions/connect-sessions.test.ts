import { env } from "cloudflare:workers";
import type {
  ConnectionListResponse,
  ConnectionView,
  EndUserConnectionsResponse,
  WebhookEvent,
} from "@instagram-connect/types";
import { RETURN_ATTEMPT_PARAM } from "@instagram-connect/types";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { newAttempt, pollAttempt, postedMessage, startPath } from "../support/flow.ts";
import { RELAY, RETURN_TO, SITE, siteNavigation } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";
import { connectWithSession, createSession, postStart, sessionFetch } from "./session-support.ts";

const ctx = useFakeInstagram();

function connected(message: Awaited<ReturnType<typeof connectWithSession>>) {
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result;
}

describe("connect sessions: creation", () => {
  it("answers 201 with a token and expiry (default 1800 s); the key needs sessions:write", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "user-a", email: "a@example.com" } });
    expect(session.token).toMatch(/^ics_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const left = Date.parse(session.expiresAt) - ctx.fake.clock.now();
    expect(left).toBeGreaterThan(1790 * 1000);
    expect(left).toBeLessThanOrEqual(1800 * 1000);
    const readOnly = await newApiKey(["connections:read"]);
    const refused = await apiFetch("/v1/api/connect-sessions", readOnly, {
      method: "POST",
      body: JSON.stringify({ endUser: { id: "user-a" } }),
    });
    expect(refused.status).toBe(403);
  });

  it("a missing or oversized end user id, a ttl over 3600 or an unlisted scope/origin is refused with its code", async () => {
    const apiKey = await newApiKey();
    const post = (body: unknown) =>
      apiFetch("/v1/api/connect-sessions", apiKey, { method: "POST", body: JSON.stringify(body) });
    const code = (response: { json<T>(): T }) => response.json<{ error: { code: string } }>().error.code;
    for (const body of [{}, { endUser: {} }, { endUser: { id: "" } }, { endUser: { id: "x".repeat(256) } }]) {
      const response = await post(body);
      expect([response.status, code(response)]).toEqual([400, "invalid_request"]);
    }
    expect((await post({ endUser: { id: "a" }, ttlSeconds: 3601 })).status).toBe(400);
    const notJson = await apiFetch("/v1/api/connect-sessions", apiKey, { method: "POST", body: "{" });
    expect([notJson.status, code(notJson)]).toEqual([400, "invalid_request"]);
    const scope = await post({ endUser: { id: "a" }, allowedScopes: ["instagram_business_manage_messages"] });
    expect([scope.status, code(scope)]).toEqual([400, "scope_not_allowed"]);
    const origin = await post({ endUser: { id: "a" }, allowedOrigins: ["https://evil.example"] });
    expect([origin.status, code(origin)]).toEqual([400, "origin_not_allowed"]);
  });

  it("metadata over 4 KB is 413 payload_too_large, at creation and on PATCH", async () => {
    const apiKey = await newApiKey();
    const big = { note: "x".repeat(4100) };
    const created = await apiFetch("/v1/api/connect-sessions", apiKey, {
      method: "POST",
      body: JSON.stringify({ endUser: { id: "a" }, metadata: big }),
    });
    expect(created.status).toBe(413);
    expect(created.json<{ error: { code: string } }>().error.code).toBe("payload_too_large");
    const session = await createSession(apiKey);
    const { connection } = connected(await connectWithSession(ctx.fake, session.token));
    const patched = await apiFetch(`/v1/api/connections/${connection.id}`, apiKey, {
      method: "PATCH",
      body: JSON.stringify({ metadata: big }),
    });
    expect(patched.status).toBe(413);
  });
});

describe("connect sessions: the consent", () => {
  it("binds the connection to the end user: record, views, API filter, end-user route, PATCH and webhooks carry it", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { endUser: { id: "user-bind" }, metadata: { plan: "pro" } });
    const result = connected(await connectWithSession(ctx.fake, session.token));
    expect(result.connection).toMatchObject({
      endUserId: "user-bind",
      origin: "https://app.example.com",
      metadata: { plan: "pro" },
    });
    const stored = await env.CONNECTIONS.get<{ sessionId: string }>(`conn:${result.connection.id}`, "json");
    expect(stored?.sessionId).toBe(session.sessionId);

    const other = await createSession(apiKey, { endUser: { id: "user-bind-2" } });
    const userB = ctx.fake.addUser();
    connected(await connectWithSession(ctx.fake, other.token, userB.id));

    const filtered = await apiFetch("/v1/api/connections?endUserId=user-bind", apiKey);
    expect(filtered.json<ConnectionListResponse>().items.map((item) => item.id)).toEqual([
      result.connection.id,
    ]);
    const byRoute = await apiFetch("/v1/api/end-users/user-bind-2/connections", apiKey);
    expect(byRoute.json<ConnectionListResponse>().items.map((item) => item.profile.userId)).toEqual([
      userB.userId,
    ]);

    const patched = await apiFetch(`/v1/api/connections/${result.connection.id}`, apiKey, {
      method: "PATCH",
      body: JSON.stringify({ metadata: { plan: "team" } }),
    });
    expect(patched.json<{ connection: ConnectionView }>().connection.metadata).toEqual({ plan: "team" });

    await vi.waitFor(() => {
      const created = webhookReceiver.deliveries
        .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
        .find(
          (event) => event.type === "connection.created" && event.data.connectionId === result.connection.id,
        );
      expect(created?.data).toMatchObject({ endUserId: "user-bind", metadata: { plan: "pro" } });
    });
  });

  it("unknown, expired and reused session tokens get invalid_session in the popup and in the widget's attempt", async () => {
    const apiKey = await newApiKey();
    const session = await createSession(apiKey, { ttlSeconds: 60 });
    const cases = [
      "ics_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      `${session.token.slice(0, -2)}xx`,
    ];
    for (const token of cases) {
      const { attempt, response } = await postStart(token);
      expect(response.status).toBe(401);
      expect(response.text).toContain('data-error-code="invalid_session"');
      // The popup hands the typed error to the widget at once (to the starting origin only), so
      // the widget shows it without waiting for the visitor to close the popup.
      const { message, targetOrigin } = postedMessage(response.text);
      expect(targetOrigin).toBe(SITE);
      expect(message.attemptId).toBe(attempt.attemptId);
      expect(message.result).toMatchObject({ ok: false, error: { code: "invalid_session" } });
      const poll = await pollAttempt(attempt);
      expect(poll.json<{ result: { error: { code: string } } }>().result.error.code).toBe("invalid_session");
    }
    // Used once (the refused attempts above did not spend it), then reused.
    expect((await postStart(session.token)).response.status).toBe(303);
    const reused = await postStart(session.token);
    expect(reused.response.text).toContain('data-error-code="invalid_session"');
    // Expired.
    const short = await createSession(apiKey, { ttlSeconds: 60 });
    ctx.fake.clock.advance(61_000);
    expect((await postStart(short.token)).response.text).toContain('data-error-code="invalid_session"');
  });

  it("S5: redirect mode: a refused session start sends the tab back to returnTo with only the attempt id, whose poll yields invalid_session", async () => {
    const { attempt, response } = await postStart(
      "ics_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      { returnTo: RETURN_TO },
    );
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get("Location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(RETURN_TO);
    expect([...back.searchParams.keys()]).toEqual([RETURN_ATTEMPT_PARAM]);
    expect(back.searchParams.get(RETURN_ATTEMPT_PARAM)).toBe(attempt.attemptId);
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    const poll = await pollAttempt(attempt);
    expect(poll.json<{ result: { error: { code: string } } }>().result.error.code).toBe("invalid_session");
    // A returnTo that is not allowlisted is refused before anything else, with a local page.
    const elsewhere = await postStart(
      "ics_AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      {
        returnTo: "https://evil.example/steal",
      },
    );
    expect(elsewhere.response.status).toBe(400);
    expect(elsewhere.response.headers.get("Location")).toBeNull();
  });

  it("refuses a session used from an origin it does not allow, a form whose Origin differs, and scopes beyond the session's", async () => {
    const apiKey = await newApiKey();
    const local = await createSession(apiKey, { allowedOrigins: ["http://localhost:5173"] });
    const wrongOrigin = await postStart(local.token);
    expect(wrongOrigin.response.text).toContain('data-error-code="invalid_session"');
    const spoofed = await postStart(local.token, {
      formOrigin: "http://localhost:5173",
      origin: "https://app.example.com",
    });
    expect(spoofed.response.text).toContain('data-error-code="origin_not_allowed"');
    const basicOnly = await createSession(apiKey, { allowedScopes: ["instagram_business_basic"] });
    const scoped = await postStart(basicOnly.token, { scopes: "instagram_business_content_publish" });
    expect(scoped.response.status).toBe(400);
    expect(scoped.response.text).toContain('data-error-code="scope_not_allowed"');
    expect((await postStart(basicOnly.token)).response.status).toBe(303);
  });

  it("a session of user A cannot read or delete user B's connections", async () => {
    const apiKey = await newApiKey();
    const a = await createSession(apiKey, { endUser: { id: "user-a" } });
    const b = await createSession(apiKey, { endUser: { id: "user-b" } });
    const mine = connected(await connectWithSession(ctx.fake, a.token));
    const theirs = connected(await connectWithSession(ctx.fake, b.token, ctx.fake.addUser().id));
    const listA = await sessionFetch("/v1/sessions/connections", a.token);
    expect(listA.json<EndUserConnectionsResponse>().items.map((item) => item.id)).toEqual([
      mine.connection.id,
    ]);
    const steal = await sessionFetch(`/v1/sessions/connections/${theirs.connection.id}`, a.token, {
      method: "DELETE",
    });
    expect(steal.status).toBe(404);
    expect(await env.CONNECTIONS.get(`conn:${theirs.connection.id}`)).not.toBeNull();
    const own = await sessionFetch(`/v1/sessions/connections/${mine.connection.id}`, a.token, {
      method: "DELETE",
    });
    expect(own.status).toBe(200);
    expect(await env.CONNECTIONS.get(`conn:${mine.connection.id}`)).toBeNull();
    expect((await sessionFetch("/v1/sessions/connections", "ics_nope")).status).toBe(401);
  });

  it("a reconnect session refuses another Instagram account (account_mismatch) and updates the same connection for the right one", async () => {
    const apiKey = await newApiKey();
    const first = await createSession(apiKey);
    const original = connected(await connectWithSession(ctx.fake, first.token));
    const reconnect = await createSession(apiKey, { reconnectConnectionId: original.connection.id });
    const wrong = await connectWithSession(ctx.fake, reconnect.token, ctx.fake.addUser().id);
    expect(wrong.result.ok ? null : wrong.result.error.code).toBe("account_mismatch");
    const again = await createSession(apiKey, { reconnectConnectionId: original.connection.id });
    const right = connected(await connectWithSession(ctx.fake, again.token));
    expect(right.connection.id).toBe(original.connection.id);
    const otherUser = await apiFetch("/v1/api/connect-sessions", apiKey, {
      method: "POST",
      body: JSON.stringify({ endUser: { id: "user-b" }, reconnectConnectionId: original.connection.id }),
    });
    expect(otherUser.status).toBe(404);
  });
});

describe("ANONYMOUS_CONNECT", () => {
  it("when false, a consent without a session is refused with invalid_session; when absent it stays allowed", async () => {
    const attempt = await newAttempt();
    const path = startPath(attempt);
    const start = () =>
      new Request(`${RELAY}${path}`, {
        headers: {
          Accept: "application/json",
          "CF-Connecting-IP": "198.51.100.7",
          // A navigation from the site itself: no confirmation page (sec's start binding).
          ...siteNavigation(new URL(path, RELAY).searchParams.get("origin") ?? ""),
        },
      });
    const refused = await createApp().fetch(start(), { ...env, ANONYMOUS_CONNECT: "false" });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invalid_session");
    const { ANONYMOUS_CONNECT: _, ...withoutSetting } = env;
    const allowed = await createApp().fetch(start(), withoutSetting);
    expect(allowed.status).toBe(302);
  });
});
