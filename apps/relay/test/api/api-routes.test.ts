import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type {
  AuditTrailResponse,
  ConnectionListResponse,
  ConnectionResponse,
  ErrorBody,
  MediaPage,
  TokenExportResponse,
  WebhookEvent,
} from "@instagram-connect/types";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { MEDIA_CURSOR_PATTERN, widgetMediaQuerySchema } from "../../src/request-schemas.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { RELAY, SITE } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";
import { apiFetch, connectUser, newApiKey, UNKNOWN_CONNECTION } from "./api-support.ts";

const ctx = useFakeInstagram();

describe("GET /v1/api/connections", () => {
  it("pages through every connection with limit and cursor", async () => {
    const { fake } = ctx;
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await connectUser(fake, fake.addUser().id)).connectionId);
    const apiKey = await newApiKey(["connections:read"]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const response = await apiFetch(`/v1/api/connections${query}`, apiKey);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      const page = response.json<ConnectionListResponse>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("refuses bad paging input with 400 invalid_request", async () => {
    const apiKey = await newApiKey(["connections:read"]);
    for (const query of ["?limit=0", "?limit=101", "?limit=abc", "?limit=1.5", "?cursor=", "?page=2"]) {
      const response = await apiFetch(`/v1/api/connections${query}`, apiKey);
      expect(response.status, query).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe("invalid_request");
    }
  });
});

describe("GET and DELETE /v1/api/connections/:id", () => {
  it("returns the ConnectionView: profile, status, scopes, expiry; never the token", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const response = await apiFetch(
      `/v1/api/connections/${connectionId}`,
      await newApiKey(["connections:read"]),
    );
    expect(response.status).toBe(200);
    const { connection } = response.json<ConnectionResponse>();
    expect(connection).toMatchObject({
      id: connectionId,
      status: "active",
      profile: { username: "jane.doe", userId: "17841477965412211" },
      scopes: ["instagram_business_basic"],
    });
    expect(Date.parse(connection.tokenExpiresAt)).toBeGreaterThan(ctx.fake.clock.now());
    expect(response.text).not.toContain("accessToken");
  });

  it("answers 404 for an unknown connection and 400 for a malformed id, on every per-connection route", async () => {
    const apiKey = await newApiKey();
    for (const suffix of ["", "/media", "/audit", "/token", "/graph/me"]) {
      const unknown = await apiFetch(`/v1/api/connections/${UNKNOWN_CONNECTION}${suffix}`, apiKey);
      expect(unknown.status, `unknown ${suffix}`).toBe(suffix === "/token" ? 403 : 404);
      const malformed = await apiFetch(`/v1/api/connections/apikey:key_x${suffix}`, apiKey);
      expect(malformed.status, `malformed ${suffix}`).toBe(suffix === "/token" ? 403 : 400);
    }
    const deleted = await apiFetch(`/v1/api/connections/${UNKNOWN_CONNECTION}`, apiKey, { method: "DELETE" });
    expect(deleted.status).toBe(404);
  });

  it("S15: a key only reads what its operations allow, for any connection id", async () => {
    const a = await connectUser(ctx.fake);
    const b = await connectUser(ctx.fake, "max.creator");
    const mediaOnly = await newApiKey(["media:read"]);
    for (const id of [a.connectionId, b.connectionId]) {
      expect((await apiFetch(`/v1/api/connections/${id}`, mediaOnly)).status).toBe(403);
      expect((await apiFetch(`/v1/api/connections/${id}/audit`, mediaOnly)).status).toBe(403);
      expect((await apiFetch(`/v1/api/connections/${id}`, mediaOnly, { method: "DELETE" })).status).toBe(403);
      expect((await apiFetch(`/v1/api/connections/${id}/media`, mediaOnly)).status).toBe(200);
    }
    // Path tricks cannot reach other KV records (API key records, indexes).
    const reader = await newApiKey(["connections:read"]);
    for (const path of ["..%2Fapikey:key_AAAAAAAAAAAAAAAAAAAAAA", "igid:27640875392278831", "conn_%2E%2E"]) {
      expect((await apiFetch(`/v1/api/connections/${path}`, reader)).status).toBe(400);
    }
  });

  it("DELETE disconnects through the lifecycle: gone for the API, the widget credential dies, audit and webhook follow", async () => {
    const user = ctx.fake.addUser();
    const { connectionId, credential } = await connectUser(ctx.fake, user.id);
    const apiKey = await newApiKey(["connections:delete", "connections:read", "audit:read"]);
    const response = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ disconnected: true, connectionId });
    expect((await apiFetch(`/v1/api/connections/${connectionId}`, apiKey)).status).toBe(404);
    const widget = await apiFetch("/v1/connections/me", credential, { headers: { Origin: SITE } });
    expect(widget.status).toBe(401);
    const again = await apiFetch(`/v1/api/connections/${connectionId}`, apiKey, { method: "DELETE" });
    expect(again.status).toBe(404);
    // The audit trail outlives the connection.
    const audit = await apiFetch(`/v1/api/connections/${connectionId}/audit`, apiKey);
    const trail = audit.json<AuditTrailResponse>().items.map((item) => `${item.event}:${item.reason}`);
    expect(trail[0]).toBe("disconnected:api_disconnect");
    expect(trail).toContain("connected:consent");
    await vi.waitFor(
      () => {
        const deleted = webhookReceiver.deliveries
          .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
          .find((event) => event.type === "connection.deleted" && event.data.connectionId === connectionId);
        expect(deleted?.data).toMatchObject({ reason: "api_disconnect", username: user.username });
      },
      { timeout: 10_000 },
    );
  });
});

describe("GET /v1/api/connections/:id/media", () => {
  it("proxies the media pages through the stored token (the token never leaves the relay)", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const apiKey = await newApiKey(["media:read"]);
    const first = await apiFetch(`/v1/api/connections/${connectionId}/media?limit=20`, apiKey);
    expect(first.status).toBe(200);
    const page = first.json<MediaPage>();
    expect(page.items).toHaveLength(20);
    expect(page.items[0]).toMatchObject({
      id: expect.any(String),
      mediaType: expect.stringMatching(/IMAGE|VIDEO|CAROUSEL_ALBUM/),
    });
    expect(page.nextCursor).not.toBeNull();
    const second = await apiFetch(
      `/v1/api/connections/${connectionId}/media?limit=20&after=${encodeURIComponent(page.nextCursor ?? "")}`,
      apiKey,
    );
    const rest = second.json<MediaPage>();
    expect(rest.items).toHaveLength(10);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...page.items, ...rest.items].map((item) => item.id)).size).toBe(30);
  });

  it("answers 409 reauth_required once Instagram revokes the token, and 400 for a bad cursor", async () => {
    const { connectionId } = await connectUser(ctx.fake, "max.creator");
    const apiKey = await newApiKey(["media:read"]);
    expect(
      (await apiFetch(`/v1/api/connections/${connectionId}/media?after=%3Cscript%3E`, apiKey)).status,
    ).toBe(400);
    ctx.fake.revokeUser("max.creator");
    const response = await apiFetch(`/v1/api/connections/${connectionId}/media?limit=3`, apiKey);
    expect(response.status).toBe(409);
    expect(response.json<ErrorBody>().error.code).toBe("reauth_required");
  });

  it("validates cursors exactly like the widget's media route", () => {
    // One pattern for both routes: the widget's query schema refuses what the API's refuses.
    expect(widgetMediaQuerySchema.safeParse({ after: "bad cursor!" }).success).toBe(false);
    expect(MEDIA_CURSOR_PATTERN.test("bad cursor!")).toBe(false);
    expect(widgetMediaQuerySchema.safeParse({ after: "QVFIUm9" }).success).toBe(true);
  });
});

describe("GET /v1/api/connections/:id/audit", () => {
  it("lists the connection's audit trail, newest first, with paging", async () => {
    const { fake } = ctx;
    const user = fake.addUser();
    const { connectionId } = await connectUser(fake, user.id);
    await connectUser(fake, user.id); // reconnect: a second event
    const apiKey = await newApiKey(["audit:read"]);
    const response = await apiFetch(`/v1/api/connections/${connectionId}/audit?limit=1`, apiKey);
    expect(response.status).toBe(200);
    const page = response.json<AuditTrailResponse>();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ event: "connected", connectionId });
    expect(page.nextCursor).not.toBeNull();
    const next = await apiFetch(
      `/v1/api/connections/${connectionId}/audit?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? "")}`,
      apiKey,
    );
    expect(next.json<AuditTrailResponse>().items).toHaveLength(1);
    expect((await apiFetch(`/v1/api/connections/${connectionId}/audit?limit=500`, apiKey)).status).toBe(400);
  });
});

describe("GET /v1/api/connections/:id/token", () => {
  it("is off by default: 403 even for a key with token:read", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const response = await apiFetch(
      `/v1/api/connections/${connectionId}/token`,
      await newApiKey(["token:read"]),
    );
    expect(response.status).toBe(403);
    expect(response.json<ErrorBody>().error.code).toBe("forbidden");
  });

  it("with API_TOKEN_EXPORT=true and token:read, hands the current token to the server app", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const app = createApp();
    const call = async (apiKey: string, exportFlag: string) => {
      const context = createExecutionContext();
      const response = await app.fetch(
        new Request(`${RELAY}/v1/api/connections/${connectionId}/token`, {
          headers: { Authorization: `Bearer ${apiKey}` },
        }),
        { ...env, API_TOKEN_EXPORT: exportFlag },
        context,
      );
      await waitOnExecutionContext(context);
      return response;
    };
    const allowed = await call(await newApiKey(["token:read"]), "true");
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("Cache-Control")).toBe("no-store");
    const body = (await allowed.json()) as TokenExportResponse;
    expect(body.connectionId).toBe(connectionId);
    const me = await ctx.fake.fetch(
      `https://fake.instagram.test/v25.0/me?fields=username&access_token=${body.accessToken}`,
    );
    expect(me.status).toBe(200);
    // The flag alone is not enough.
    expect((await call(await newApiKey(["connections:read"]), "true")).status).toBe(403);
    // A malformed flag is a config error naming the setting, not a silent yes.
    const broken = await call(await newApiKey(["token:read"]), "yes");
    expect(broken.status).toBe(500);
    expect(((await broken.json()) as ErrorBody).error).toMatchObject({
      code: "config_error",
      setting: "API_TOKEN_EXPORT",
    });
  });
});

describe("GET /v1/api/connections/:id/graph/*", () => {
  it("forwards allowlisted paths and fields and strips Graph's token-bearing paging URLs", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const apiKey = await newApiKey(["graph:read"]);
    const me = await apiFetch(
      `/v1/api/connections/${connectionId}/graph/me?fields=id,user_id,username,media_count`,
      apiKey,
    );
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({
      id: "27640875392278831",
      user_id: "17841477965412211",
      username: "jane.doe",
      media_count: 30,
    });
    const media = await apiFetch(
      `/v1/api/connections/${connectionId}/graph/me/media?fields=id,media_type,children{media_type,media_url}&limit=2`,
      apiKey,
    );
    expect(media.status).toBe(200);
    const body = media.json<{ data: unknown[]; paging: Record<string, unknown> }>();
    expect(body.data).toHaveLength(2);
    expect(Object.keys(body.paging)).toEqual(["cursors"]);
    expect(media.text).not.toContain("access_token");
  });

  it("refuses every other path, field or parameter with 403 graph_path_not_allowed", async () => {
    const { connectionId } = await connectUser(ctx.fake);
    const apiKey = await newApiKey(["graph:read"]);
    const refused = [
      "me/accounts",
      "me/permissions",
      "17895695668004550/comments",
      "17895695668004550/insights",
      "me%2Fmedia",
      "me?fields=id,access_token",
      "me?fields=username&access_token=stolen",
      "me?fields=username&limit=5",
      "me/media?fields=id,children{id,comments}",
      "me/media?fields=id,owner{id}",
      "me?fields=id,,username",
      "oauth/access_token",
      "v25.0/me",
    ];
    for (const path of refused) {
      const response = await apiFetch(`/v1/api/connections/${connectionId}/graph/${path}`, apiKey);
      expect(response.status, path).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe("graph_path_not_allowed");
    }
    expect(ctx.fake.calls.filter((call) => call.endpoint === "unknown")).toEqual([]);
  });
});
