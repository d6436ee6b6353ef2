import { env, exports } from "cloudflare:workers";
import type { ConnectionListResponse, OAuthResultMessage } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { openApiDocument } from "../../src/openapi/openapi-document.ts";
import { checkActionRoutes } from "../actions/action-openapi-checks.ts";
import { continueLink, openLink } from "../sessions/hosted-link-support.ts";
import { connectWithSession, createSession, postStart, sessionFetch } from "../sessions/session-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import {
  approve,
  callback,
  issueAttempt,
  newAttempt,
  pollAttempt,
  postedMessage,
  startFlow,
  startPath,
} from "../support/flow.ts";
import { registerSecret } from "../support/leak-collector.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { apiFetch, connectUser, newApiKey, revokedApiKey, UNKNOWN_CONNECTION } from "./api-support.ts";
import { checked, expectDocumented, type OpenApiDoc } from "./openapi-check.ts";

const ctx = useFakeInstagram();

async function fetchDoc(): Promise<OpenApiDoc> {
  const response = await relayFetch("/openapi.json");
  expect(response.status).toBe(200);
  return response.json<OpenApiDoc>();
}

describe("GET /openapi.json", () => {
  it("serves the OpenAPI 3.1 document generated from the routes' schemas (run `pnpm openapi` when this fails)", async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it("the response check refuses a body that breaks its schema and an undocumented status", async () => {
    const doc = await fetchDoc();
    const fake = (status: number, body: unknown) => ({
      status,
      headers: new Headers({ "Content-Type": "application/json" }),
      text: JSON.stringify(body),
      json: <T>() => body as T,
    });
    expect(() =>
      expectDocumented(
        doc,
        "GET",
        "/v1/api/connections",
        fake(200, { items: [{ id: 1 }], nextCursor: null }),
      ),
    ).toThrow();
    expect(() => expectDocumented(doc, "GET", "/health", fake(418, { ok: true }))).toThrow();
    expect(() =>
      expectDocumented(
        doc,
        "GET",
        "/v1/api/connections",
        fake(401, { error: { code: "nope", message: "x" } }),
      ),
    ).toThrow();
    checked.clear();
  });

  // One long walk over every route (the coverage check needs them in one test): more than the default 5 s
  // on a loaded machine.
  it("validates every route's real answers, success and error, against the document", {
    timeout: 30_000,
  }, async () => {
    const doc = await fetchDoc();
    const { fake } = ctx;
    const user = fake.addUser();
    const api = await newApiKey();
    const check = (method: string, template: string, response: Parameters<typeof expectDocumented>[3]) =>
      expectDocumented(doc, method, template, response);

    check("GET", "/health", await relayFetch("/health"));
    check("GET", "/openapi.json", await relayFetch("/openapi.json"));

    // oauth
    const flow = await startFlow();
    check("GET", "/v1/oauth/start", flow.response);
    const unproven = await newAttempt();
    check("POST", "/v1/oauth/attempts", await issueAttempt(unproven.challenge));
    check("POST", "/v1/oauth/attempts", await issueAttempt("short"));
    check("POST", "/v1/oauth/attempts", await issueAttempt(unproven.challenge, "https://evil.example"));
    check("GET", "/v1/oauth/attempts/{attemptId}", await pollAttempt(unproven, "x".repeat(43)));
    check("GET", "/v1/oauth/start", await relayFetch(startPath(unproven), { headers: { Referer: "" } }));
    const confirm = (origin: string) =>
      relayFetch("/v1/oauth/start", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
        body: new URL(startPath(unproven), "https://relay.test").searchParams,
      });
    check("POST", "/v1/oauth/start", await confirm("https://evil.example"));
    check("POST", "/v1/oauth/start", await confirm("https://relay.test"));
    check(
      "GET",
      "/v1/oauth/start",
      await relayFetch(startPath(await newAttempt(), { origin: "https://evil.example" })),
    );
    check(
      "GET",
      "/v1/oauth/start",
      await relayFetch(startPath(await newAttempt(), { mode: "bogus" }), {
        headers: { Accept: "application/json" },
      }),
    );
    check("GET", "/v1/oauth/attempts/{attemptId}", await pollAttempt(flow.attempt));
    const page = await callback(approve(fake, flow, user.id), flow.cookie);
    check("GET", "/v1/oauth/callback", page);
    check("GET", "/v1/oauth/callback", await callback(approve(fake, flow, user.id), flow.cookie));
    check("GET", "/v1/oauth/attempts/{attemptId}", await pollAttempt(flow.attempt));
    check("GET", "/v1/oauth/attempts/{attemptId}", await pollAttempt(flow.attempt));
    const message: OAuthResultMessage = postedMessage(page.text).message;
    if (!message.result.ok) throw new Error("connect failed");
    const { connectionId, credential } = message.result.handle;
    const redirectFlow = await startFlow({ mode: "redirect" });
    check(
      "GET",
      "/v1/oauth/callback",
      await callback(approve(fake, redirectFlow, user.id), redirectFlow.cookie),
    );

    // widget
    const widget = { Authorization: `Bearer ${credential}`, Origin: SITE };
    check("GET", "/v1/connections/me", await relayFetch("/v1/connections/me", { headers: widget }));
    check("GET", "/v1/connections/me", await relayFetch("/v1/connections/me", { headers: { Origin: SITE } }));
    check(
      "GET",
      "/v1/connections/me/media",
      await relayFetch("/v1/connections/me/media?limit=3", { headers: widget }),
    );
    check(
      "GET",
      "/v1/connections/me/media",
      await relayFetch("/v1/connections/me/media?limit=0", { headers: widget }),
    );

    // api
    const byId = `/v1/api/connections/${connectionId}`;
    const t = (suffix: string) => `/v1/api/connections/{connectionId}${suffix}`;
    const list = await apiFetch("/v1/api/connections?limit=2", api);
    check("GET", "/v1/api/connections", list);
    expect(list.json<ConnectionListResponse>().items.length).toBeGreaterThan(0);
    check("GET", "/v1/api/connections", await apiFetch("/v1/api/connections?limit=0", api));
    check("GET", "/v1/api/connections", await apiFetch("/v1/api/connections", null));
    check("GET", "/v1/api/connections", await apiFetch("/v1/api/connections", await revokedApiKey()));
    check(
      "GET",
      "/v1/api/connections",
      await apiFetch("/v1/api/connections", await newApiKey(["media:read"])),
    );
    check("GET", t(""), await apiFetch(byId, api));
    check("GET", t(""), await apiFetch(`/v1/api/connections/${UNKNOWN_CONNECTION}`, api));
    check("GET", t(""), await apiFetch("/v1/api/connections/nope", api));
    check("GET", t("/media"), await apiFetch(`${byId}/media?limit=2`, api));
    check("GET", t("/media"), await apiFetch(`${byId}/media?limit=500`, api));
    check("GET", t("/audit"), await apiFetch(`${byId}/audit`, api));
    check("GET", t("/audit"), await apiFetch(`/v1/api/connections/${UNKNOWN_CONNECTION}/audit`, api));
    check("GET", t("/token"), await apiFetch(`${byId}/token`, api));
    const context = { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} };
    const exported = await createApp().fetch(
      new Request(`https://relay.test${byId}/token`, { headers: { Authorization: `Bearer ${api}` } }),
      { ...env, API_TOKEN_EXPORT: "true" },
      context as unknown as ExecutionContext,
    );
    const exportedText = await exported.text();
    check("GET", t("/token"), {
      status: exported.status,
      headers: exported.headers,
      text: exportedText,
      json: <T>() => JSON.parse(exportedText) as T,
    });
    check("GET", t("/graph/{graphPath}"), await apiFetch(`${byId}/graph/me?fields=username`, api));
    check(
      "GET",
      t("/graph/{graphPath}"),
      await apiFetch(`${byId}/graph/me/media?fields=id,caption&limit=2`, api),
    );
    check("GET", t("/graph/{graphPath}"), await apiFetch(`${byId}/graph/me/accounts`, api));
    check("GET", "/v1/api/key-usage", await apiFetch("/v1/api/key-usage?limit=5", api));
    // monitoring
    check("GET", "/v1/api/usage", await apiFetch("/v1/api/usage?window=day", api));
    check("GET", "/v1/api/usage", await apiFetch("/v1/api/usage?keyId=key_AAAAAAAAAAAAAAAAAAAAAA", api));
    check("GET", t("/usage"), await apiFetch(`${byId}/usage`, api));
    check("GET", t("/usage"), await apiFetch(`/v1/api/connections/${UNKNOWN_CONNECTION}/usage`, api));
    check("GET", "/v1/api/health", await apiFetch("/v1/api/health?limit=2", api));
    check("GET", "/v1/api/health", await apiFetch("/v1/api/health?limit=0", api));
    check("GET", t("/webhooks/dead-letters"), await apiFetch(`${byId}/webhooks/dead-letters`, api));
    check(
      "POST",
      t("/webhooks/dead-letters/{eventId}/replay"),
      await apiFetch(`${byId}/webhooks/dead-letters/evt_AAAAAAAAAAAAAAAAAAAAAA/replay`, api, {
        method: "POST",
      }),
    );
    const byKey = "/v1/api/keys/key_AAAAAAAAAAAAAAAAAAAAAA/webhooks/dead-letters";
    check("GET", "/v1/api/keys/{keyId}/webhooks/dead-letters", await apiFetch(byKey, api));
    check(
      "POST",
      "/v1/api/keys/{keyId}/webhooks/dead-letters/{eventId}/replay",
      await apiFetch(`${byKey}/evt_AAAAAAAAAAAAAAAAAAAAAA/replay`, api, { method: "POST" }),
    );

    // meta
    const form = (signedRequest: string) => ({
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ signed_request: signedRequest }).toString(),
    });
    check("POST", "/v1/meta/deauthorize", await relayFetch("/v1/meta/deauthorize", form("bad.request")));
    const deletion = await relayFetch(
      "/v1/meta/data-deletion",
      form(await fake.signedRequest({ userId: user.userId, secret: env.INSTAGRAM_CLIENT_SECRET })),
    );
    check("POST", "/v1/meta/data-deletion", deletion);
    check("POST", "/v1/meta/data-deletion", await relayFetch("/v1/meta/data-deletion", form("x.y")));
    const code = deletion.json<{ confirmation_code: string }>().confirmation_code;
    const json = { headers: { Accept: "application/json" } };
    check(
      "GET",
      "/v1/meta/deletion-status/{code}",
      await relayFetch(`/v1/meta/deletion-status/${code}`, json),
    );
    check("GET", "/v1/meta/deletion-status/{code}", await relayFetch(`/v1/meta/deletion-status/${code}`));
    check(
      "GET",
      "/v1/meta/deletion-status/{code}",
      await relayFetch("/v1/meta/deletion-status/unknown", json),
    );
    const other = fake.addUser();
    const second = await connectUser(fake, other.id);
    check(
      "POST",
      "/v1/meta/deauthorize",
      await relayFetch(
        "/v1/meta/deauthorize",
        form(await fake.signedRequest({ userId: other.userId, secret: env.INSTAGRAM_CLIENT_SECRET })),
      ),
    );
    const apiDelete = await connectUser(fake, fake.addUser().id);
    check(
      "DELETE",
      t(""),
      await apiFetch(`/v1/api/connections/${apiDelete.connectionId}`, api, { method: "DELETE" }),
    );
    check(
      "DELETE",
      t(""),
      await apiFetch(`/v1/api/connections/${second.connectionId}`, api, { method: "DELETE" }),
    );
    // feeds (the fake serves SVG here, which a feed never stores: the feed is empty but valid)
    const feedBody = (body: unknown) => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const feedOwner = await connectUser(fake, fake.addUser().id);
    const created = await apiFetch(
      "/v1/api/feeds",
      api,
      feedBody({ connectionId: feedOwner.connectionId, allowedOrigins: [SITE] }),
    );
    expect(created.status).toBe(201);
    check("POST", "/v1/api/feeds", created);
    check(
      "POST",
      "/v1/api/feeds",
      await apiFetch(
        "/v1/api/feeds",
        api,
        feedBody({ connectionId: feedOwner.connectionId, allowedOrigins: [], limit: 99 }),
      ),
    );
    const feedId = created.json<{ feed: { feedId: string } }>().feed.feedId;
    check("GET", "/v1/api/feeds", await apiFetch("/v1/api/feeds", api));
    check("GET", "/v1/api/feeds/{feedId}", await apiFetch(`/v1/api/feeds/${feedId}`, api));
    check("GET", "/v1/api/feeds/{feedId}", await apiFetch("/v1/api/feeds/feed_AAAAAAAAAAAAAAAAAAAAAA", api));
    const patch = { ...feedBody({ limit: 3 }), method: "PATCH" };
    check("PATCH", "/v1/api/feeds/{feedId}", await apiFetch(`/v1/api/feeds/${feedId}`, api, patch));
    check(
      "GET",
      "/v1/feeds/{feedId}",
      await relayFetch(`/v1/feeds/${feedId}`, { headers: { Origin: SITE } }),
    );
    check("GET", "/v1/feeds/{feedId}", await relayFetch("/v1/feeds/feed_AAAAAAAAAAAAAAAAAAAAAA"));
    check(
      "OPTIONS",
      "/v1/feeds/{feedId}",
      await relayFetch(`/v1/feeds/${feedId}`, { method: "OPTIONS", headers: { Origin: SITE } }),
    );
    check("GET", "/v1/feeds/{feedId}/media/{mediaId}", await relayFetch(`/v1/feeds/${feedId}/media/1789`));
    check(
      "DELETE",
      "/v1/api/feeds/{feedId}",
      await apiFetch(`/v1/api/feeds/${feedId}`, api, { method: "DELETE" }),
    );
    check(
      "DELETE",
      "/v1/api/feeds/{feedId}",
      await apiFetch(`/v1/api/feeds/${feedId}`, api, { method: "DELETE" }),
    );

    check(
      "DELETE",
      "/v1/connections/me",
      await relayFetch("/v1/connections/me", { method: "DELETE", headers: widget }),
    );

    // connect sessions (issue 14)
    const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });
    check("POST", "/v1/api/connect-sessions", await apiFetch("/v1/api/connect-sessions", api, post({})));
    const sessionAnswer = await exports.default.fetch(
      new Request("https://relay.test/v1/api/connect-sessions", {
        method: "POST",
        headers: { Authorization: `Bearer ${api}` },
        body: JSON.stringify({ endUser: { id: "doc-user" } }),
      }),
    );
    const sessionText = await sessionAnswer.text();
    check("POST", "/v1/api/connect-sessions", {
      status: sessionAnswer.status,
      headers: sessionAnswer.headers,
      text: sessionText,
      json: <T>() => JSON.parse(sessionText) as T,
    });
    const { token } = JSON.parse(sessionText) as { token: string };
    registerSecret(token);
    const started = await postStart(token);
    check("POST", "/v1/oauth/start", started.response);
    check("POST", "/v1/oauth/start", (await postStart(token)).response);
    const sessionConnection = connected(
      await connectWithSession(
        fake,
        (await createSession(api, { endUser: { id: "doc-user" } })).token,
        fake.addUser().id,
      ),
    );
    // The hosted connect link: its page, a forged and a real click, the used link.
    const link = (await createSession(api, { endUser: { id: "doc-user" } })).connectUrl;
    check("GET", "/v1/connect/{link}", await openLink(link));
    check("POST", "/v1/connect/{link}", await continueLink(link, { "Content-Type": "text/plain" }));
    check("POST", "/v1/connect/{link}", await continueLink(link));
    check("POST", "/v1/connect/{link}", await continueLink(link));
    check("GET", "/v1/connect/{link}", await openLink(link));
    check("GET", "/v1/sessions/connections", await sessionFetch("/v1/sessions/connections", token));
    check("GET", "/v1/sessions/connections", await sessionFetch("/v1/sessions/connections", "ics_bad"));
    const sessionDelete = `/v1/sessions/connections/${sessionConnection.connection.id}`;
    check(
      "DELETE",
      "/v1/sessions/connections/{connectionId}",
      await sessionFetch(sessionDelete, token, { method: "DELETE" }),
    );
    check(
      "DELETE",
      "/v1/sessions/connections/{connectionId}",
      await sessionFetch(sessionDelete, token, { method: "DELETE" }),
    );
    check(
      "GET",
      "/v1/api/end-users/{endUserId}/connections",
      await apiFetch("/v1/api/end-users/doc-user/connections", api),
    );
    check(
      "PATCH",
      t(""),
      await apiFetch(byId, api, { method: "PATCH", body: JSON.stringify({ metadata: { a: 1 } }) }),
    );
    check(
      "PATCH",
      t(""),
      await apiFetch(byId, api, { method: "PATCH", body: JSON.stringify({ metadata: 5 }) }),
    );
    check("GET", "/.well-known/jwks.json", await relayFetch("/.well-known/jwks.json"));
    // admin (the created key is not registered as a secret here: the create answer must show it)
    const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
    const adminSecret = (env as unknown as { ADMIN_SECRET: string }).ADMIN_SECRET;
    const createKey = (body: unknown) =>
      relayFetch("/v1/admin/api-keys", {
        method: "POST",
        headers: { ...bearer(adminSecret), "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    const made = await createKey({ name: "openapi", operations: ["connections:read"] });
    check("POST", "/v1/admin/api-keys", made);
    check("POST", "/v1/admin/api-keys", await createKey({ name: "x", operations: ["nope"] }));
    check(
      "GET",
      "/v1/admin/api-keys",
      await relayFetch("/v1/admin/api-keys", { headers: bearer(adminSecret) }),
    );
    check("GET", "/v1/admin/api-keys", await relayFetch("/v1/admin/api-keys", { headers: bearer("wrong") }));
    const keyPath = `/v1/admin/api-keys/${made.json<{ key: { keyId: string } }>().key.keyId}`;
    const revoke = (path: string) => relayFetch(path, { method: "DELETE", headers: bearer(adminSecret) });
    check("DELETE", "/v1/admin/api-keys/{keyId}", await revoke(keyPath));
    check("DELETE", "/v1/admin/api-keys/{keyId}", await revoke(`/v1/admin/api-keys/key_${"Q".repeat(22)}`));
    // Publishing, comments, insights, Instagram's webhooks.
    await checkActionRoutes(fake, check);

    // Every documented operation was exercised, and every app route is documented.
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect([...checked].sort()).toEqual(documented.sort());
    const routes = createApp()
      .routes.filter((route) => route.method !== "ALL")
      .map(
        (route) =>
          `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, "{$1}").replace(/\/\*$/, "/{graphPath}")}`,
      );
    for (const route of new Set(routes)) expect(documented, route).toContain(route);
  });
});

function connected(message: OAuthResultMessage) {
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result;
}
