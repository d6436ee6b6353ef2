// The demo backend's own rules, without a relay: a signed-in user acts only on their own
// connections, writes come from the site's origin only, and bad input gets a typed error.
// The relay is a recording double answering like the real one (the e2e suite runs the real one).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { RelayClient } from "@instagram-connect/client";
import { createDemoApp } from "./demo-app.ts";

const SITE = "http://localhost:5173";
const CONNECTIONS: Record<string, { id: string; endUserId: string; profile: { username: string } }[]> = {
  "demo-user-a": [{ id: "conn_a", endUserId: "demo-user-a", profile: { username: "jane.doe" } }],
  "demo-user-b": [{ id: "conn_b", endUserId: "demo-user-b", profile: { username: "max.creator" } }],
};

function setUp() {
  const calls: string[] = [];
  const ok = (data: unknown) => Promise.resolve({ ok: true, status: 200, data });
  const record = (call: string, data: unknown) => {
    calls.push(call);
    return ok(data);
  };
  const relay = {
    listConnections: (options: { endUserId: string }) => ok({ items: CONNECTIONS[options.endUserId] ?? [] }),
    disconnect: (id: string) => record(`disconnect ${id}`, { disconnected: true, connectionId: id }),
    createFeed: (input: { connectionId: string }) => record(`createFeed ${input.connectionId}`, {}),
    uploadMedia: (id: string) => record(`upload ${id}`, { uploadId: "up_1" }),
    publish: (id: string) => record(`publish ${id}`, { job: { id: "job_1" } }),
    createConnectSession: (request: { endUser: { id: string } }) =>
      record(`session ${request.endUser.id}`, { token: "ics_x.y", expiresAt: "later" }),
  } as unknown as RelayClient;
  const app = createDemoApp({
    relay,
    relayUrl: "http://localhost:8787",
    siteOrigin: SITE,
    cookieSecret: "s",
  });
  let cookie = "";
  const call = async (
    method: string,
    path: string,
    init: { body?: BodyInit; type?: string; origin?: string } = {},
  ) => {
    const headers: Record<string, string> = { origin: init.origin ?? SITE, cookie };
    if (init.type) headers["content-type"] = init.type;
    const response = await app.request(`/demo-api${path}`, { method, headers, body: init.body ?? null });
    cookie = response.headers.get("set-cookie")?.split(";")[0] ?? cookie;
    const json = response.headers.get("content-type")?.includes("json");
    const body = (json ? await response.json() : {}) as { error?: { code: string } };
    return { status: response.status, body };
  };
  const signIn = (user: string) =>
    call("POST", "/sign-in", { body: JSON.stringify({ user }), type: "application/json" });
  return { calls, call, signIn };
}

test("signed out: every user route is 401 unauthorized and the relay is never asked", async () => {
  const { call, calls } = setUp();
  for (const [method, path] of [
    ["POST", "/connect-session"],
    ["GET", "/connections"],
    ["POST", "/feeds"],
    ["DELETE", "/connections/conn_a"],
  ] as const) {
    const answer = await call(method, path);
    assert.equal(answer.status, 401, path);
    assert.equal(answer.body.error?.code, "unauthorized");
  }
  assert.deepEqual(calls, []);
});

test("user B cannot disconnect, publish a feed of or publish to user A's connection (404, nothing sent)", async () => {
  const { call, calls, signIn } = setUp();
  assert.equal((await signIn("b")).status, 200);
  const json = { type: "application/json" };
  const answers = [
    await call("DELETE", "/connections/conn_a"),
    await call("POST", "/feeds", { ...json, body: JSON.stringify({ connectionId: "conn_a" }) }),
    await call("POST", "/connections/conn_a/pictures", {
      type: "image/jpeg",
      body: new Uint8Array([0xff, 0xd8]),
    }),
    await call("POST", "/connections/conn_a/reconnect-link"),
  ];
  assert.deepEqual(
    answers.map((a) => [a.status, a.body.error?.code]),
    Array(4).fill([404, "not_found"]),
  );
  assert.deepEqual(calls, []);
  // Their own works, and the session is created for B.
  assert.equal((await call("DELETE", "/connections/conn_b")).status, 200);
  assert.equal((await call("POST", "/connect-session")).status, 200);
  assert.deepEqual(calls, ["disconnect conn_b", "session demo-user-b"]);
});

test("bad input is a typed 4xx: unknown user, non-JPEG or oversized picture, a form post from another site", async () => {
  const { call, calls, signIn } = setUp();
  assert.equal((await signIn("c")).body.error?.code, "invalid_request");
  assert.equal((await signIn("a")).status, 200);
  const png = await call("POST", "/connections/conn_a/pictures", { type: "image/png", body: "x" });
  assert.deepEqual([png.status, png.body.error?.code], [400, "media_invalid"]);
  const big = await call("POST", "/connections/conn_a/pictures", {
    type: "image/jpeg",
    body: new Uint8Array(8 * 1024 * 1024 + 1),
  });
  assert.deepEqual([big.status, big.body.error?.code], [413, "payload_too_large"]);
  // Hono's csrf: a cross-site form post (the kind a browser sends without a preflight) is refused.
  const forged = await call("POST", "/connect-session", {
    origin: "https://evil.example",
    type: "application/x-www-form-urlencoded",
    body: "a=1",
  });
  assert.deepEqual([forged.status, forged.body.error?.code], [403, "forbidden"]);
  assert.deepEqual(calls, []);
});
