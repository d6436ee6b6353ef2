import { env, exports } from "cloudflare:workers";
import type {
  ApiKeyListResponse,
  CreateApiKeyResponse,
  ErrorBody,
  RevokeApiKeyResponse,
} from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { settings } from "../support/config.ts";
import { capturedLogs, registerSecret } from "../support/leak-collector.ts";
import { relayFetch } from "../support/relay.ts";

const ADMIN_SECRET = (env as unknown as { ADMIN_SECRET: string }).ADMIN_SECRET;
const KEYS = "/v1/admin/api-keys";

function admin(path: string, init: RequestInit = {}, secret: string | null = ADMIN_SECRET) {
  const headers = new Headers(init.headers);
  if (secret !== null) headers.set("Authorization", `Bearer ${secret}`);
  if (init.body) headers.set("Content-Type", "application/json");
  return relayFetch(path, { ...init, headers });
}

/**
 * Creates a key. The create answer is the one place the key is meant to appear, so it is read
 * straight from the worker (not recorded); every other body and log line is leak-checked for it.
 */
async function create(name: string, operations: string[]) {
  const response = await exports.default.fetch(
    new Request(new URL(KEYS, "https://relay.test"), {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_SECRET}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name, operations }),
    }),
  );
  expect(response.status).toBe(201);
  const body = (await response.json()) as CreateApiKeyResponse;
  registerSecret(body.apiKey);
  return body;
}

/** Runs a request against the app with the test env's settings replaced. */
async function withSettings(overrides: Record<string, unknown>, path: string, init: RequestInit = {}) {
  const request = new Request(new URL(path, "https://relay.test"), init);
  const response = await createApp().fetch(request, settings(overrides) as Env);
  return { status: response.status, body: (await response.json()) as ErrorBody };
}

describe("admin API: API keys", () => {
  it("answers 404 on every admin route when ADMIN_SECRET is unset", async () => {
    for (const [method, path] of [
      ["GET", KEYS],
      ["POST", KEYS],
      ["DELETE", `${KEYS}/key_${"A".repeat(22)}`],
    ] as const) {
      const answer = await withSettings({ ADMIN_SECRET: undefined }, path, {
        method,
        headers: { Authorization: `Bearer ${ADMIN_SECRET}` },
      });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe("not_found");
    }
  });

  it("a too-short ADMIN_SECRET is a config_error naming the setting, on admin routes only", async () => {
    const short = { ADMIN_SECRET: "short-secret" };
    const answer = await withSettings(short, KEYS, { headers: { Authorization: "Bearer short-secret" } });
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({ code: "config_error", setting: "ADMIN_SECRET" });
    const health = await withSettings(short, "/v1/api/connections");
    expect(health.body.error.code).toBe("unauthorized");
  });

  it("refuses a missing, wrong, wrong-length or differently-cased secret with the same 401", async () => {
    for (const secret of [
      null,
      "",
      `${ADMIN_SECRET}x`,
      ADMIN_SECRET.slice(0, -1),
      ADMIN_SECRET.toUpperCase(),
    ]) {
      const response = await admin(KEYS, {}, secret);
      expect(response.status).toBe(401);
      expect(response.json<ErrorBody>().error.code).toBe("unauthorized");
      expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    }
  });

  it("rate-limits per caller IP before the secret check (429 with Retry-After)", async () => {
    const limits = { RATE_LIMITS: JSON.stringify({ admin: { limit: 1, windowSeconds: 60, burst: 0 } }) };
    const init = { headers: { "CF-Connecting-IP": "203.0.113.77", Authorization: "Bearer wrong" } };
    expect((await withSettings(limits, KEYS, init)).status).toBe(401);
    const limited = await withSettings(limits, KEYS, init);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limited");
  });

  it("sends no CORS headers, even to an allowed origin's preflight", async () => {
    const response = await admin(KEYS, { headers: { Origin: "https://app.example.com" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("creates a key that works on the app API at once; list shows metadata only", async () => {
    const created = await create("analytics", ["connections:read", "media:read"]);
    expect(created.key).toMatchObject({ name: "analytics", operations: ["connections:read", "media:read"] });
    const ok = await relayFetch("/v1/api/connections", {
      headers: { Authorization: `Bearer ${created.apiKey}` },
    });
    expect(ok.status).toBe(200);
    const forbidden = await relayFetch("/v1/api/connections/conn_AAAAAAAAAAAAAAAAAAAAAA/audit", {
      headers: { Authorization: `Bearer ${created.apiKey}` },
    });
    expect(forbidden.status).toBe(403);

    const listed = await admin(`${KEYS}?limit=100`);
    expect(listed.status).toBe(200);
    const item = listed.json<ApiKeyListResponse>().items.find((key) => key.keyId === created.key.keyId);
    expect(item).toEqual(created.key);
    expect(Object.keys(item ?? {}).sort()).toEqual(
      ["createdAt", "keyId", "name", "operations", "revoked", "revokedAt"].sort(),
    );
    expect(listed.text).not.toContain(created.apiKey.split(".")[1]);
    expect(listed.text).not.toContain("sha256:");
  });

  it("revoking a key refuses it on the app API; revoking an unknown key is 404 typed", async () => {
    const created = await create("to-revoke", ["connections:read"]);
    const revoked = await admin(`${KEYS}/${created.key.keyId}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(revoked.json<RevokeApiKeyResponse>().key).toMatchObject({ revoked: true });
    const refused = await relayFetch("/v1/api/connections", {
      headers: { Authorization: `Bearer ${created.apiKey}` },
    });
    expect(refused.status).toBe(401);
    const unknown = await admin(`${KEYS}/key_${"Z".repeat(22)}`, { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect(unknown.json<ErrorBody>().error.code).toBe("api_key_not_found");
    const malformed = await admin(`${KEYS}/not-a-key`, { method: "DELETE" });
    expect(malformed.json<ErrorBody>().error.code).toBe("invalid_request");
  });

  it("refuses bad input with a typed 400 and stores nothing", async () => {
    const before = (await env.CONNECTIONS.list({ prefix: "apikey:" })).keys.length;
    const bodies = [
      { name: "x", operations: ["connections:read", "media:write"] },
      { name: "x", operations: [] },
      { operations: ["connections:read"] },
      { name: "   ", operations: ["connections:read"] },
      { name: "n".repeat(65), operations: ["connections:read"] },
      { name: "x", operations: ["connections:read"], extra: true },
    ];
    for (const body of bodies) {
      const response = await admin(KEYS, { method: "POST", body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe("invalid_request");
    }
    const notJson = await admin(KEYS, { method: "POST", body: "{name" });
    expect(notJson.json<ErrorBody>().error.code).toBe("invalid_request");
    const huge = await admin(KEYS, { method: "POST", body: JSON.stringify({ name: "x".repeat(5000) }) });
    expect(huge.status).toBe(413);
    expect((await env.CONNECTIONS.list({ prefix: "apikey:" })).keys.length).toBe(before);
  });

  it("writes audit log lines with the key id, never the key or the admin secret", async () => {
    const created = await create("audited", ["graph:read"]);
    await admin(`${KEYS}/${created.key.keyId}`, { method: "DELETE" });
    const lines = capturedLogs().filter((line) => line.includes(created.key.keyId));
    expect(lines.some((line) => line.includes("admin.api_key_created"))).toBe(true);
    expect(lines.some((line) => line.includes("admin.api_key_revoked"))).toBe(true);
    // The leak guard (test/support/leak-guard.ts) checks every log line and body of this file
    // for ADMIN_SECRET and each created key after the tests.
  });
});
