import { Hono } from "hono";
import type { FakeInstagram, FakeWebhookInput } from "./fake-instagram.ts";
import type { FakeEndpoint, FakeFault, FakeFaultKind } from "./types.ts";

const ENDPOINTS: (FakeEndpoint | "any")[] = [
  "code_exchange",
  "long_lived",
  "refresh",
  "me",
  "media",
  "media_create",
  "media_publish",
  "publishing_limit",
  "node",
  "comments",
  "replies",
  "insights",
  "cdn",
  "any",
];
const KINDS: FakeFaultKind[] = [
  "http_5xx",
  "timeout",
  "rate_limit",
  "token_revoked",
  "malformed_json",
  "oversized",
  "wrong_content_type",
];

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await request.json();
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

function parseFault(body: Record<string, unknown>): FakeFault | undefined {
  const endpoint = ENDPOINTS.find((e) => e === body.endpoint);
  const kind = KINDS.find((k) => k === body.kind);
  if (!endpoint || !kind) return undefined;
  const fault: FakeFault = { endpoint, kind };
  for (const key of ["times", "status", "code", "delayMs", "bytes"] as const) {
    const value = num(body[key]);
    if (value !== undefined) fault[key] = value;
  }
  return fault;
}

/**
 * Dev-only HTTP control of a running fake (mounted under `/__fake` by `src/server.ts`), so e2e tests
 * and benchmarks can inject faults, move the clock, read calls and build signed requests.
 */
export function createControlApi(fake: FakeInstagram): Hono {
  const app = new Hono();
  const bad = (message: string) => Response.json({ error: { message } }, { status: 400 });

  app.get("/users", (c) =>
    c.json(fake.users.map(({ media, ...user }) => ({ ...user, mediaCount: media.length }))),
  );
  app.post("/faults", async (c) => {
    const fault = parseFault(await jsonBody(c.req.raw));
    if (!fault) return bad(`endpoint must be one of ${ENDPOINTS.join("|")}, kind one of ${KINDS.join("|")}`);
    fake.faults.inject(fault);
    return c.json({ ok: true, pending: fake.faults.pending });
  });
  app.delete("/faults", (c) => {
    fake.faults.clear();
    return c.json({ ok: true });
  });
  app.get("/clock", (c) => c.json({ now: fake.clock.now() }));
  app.post("/clock/advance", async (c) => {
    const ms = num((await jsonBody(c.req.raw)).ms);
    if (ms === undefined || ms < 0) return bad("ms must be a non-negative number");
    fake.clock.advance(ms);
    return c.json({ now: fake.clock.now() });
  });
  app.get("/calls", (c) => c.json(fake.calls));
  app.delete("/calls", (c) => {
    fake.calls.length = 0;
    return c.json({ ok: true });
  });
  app.get("/requests", (c) => c.json(fake.requests()));
  app.delete("/requests", (c) => {
    fake.clearRequests();
    return c.json({ ok: true });
  });
  app.post("/signed-request", async (c) => {
    const body = await jsonBody(c.req.raw);
    const userId = str(body.userId);
    if (!userId) return bad("userId is required");
    const extra =
      typeof body.extra === "object" && body.extra !== null ? (body.extra as Record<string, unknown>) : {};
    const signed = await fake.signedRequest({
      userId,
      extra,
      issuedAt: num(body.issuedAt),
      algorithm: str(body.algorithm),
      secret: str(body.secret),
    });
    return c.json({ signed_request: signed });
  });
  app.post("/approve", async (c) => {
    const body = await jsonBody(c.req.raw);
    const redirectUri = str(body.redirectUri);
    const scope = str(body.scope);
    if (!redirectUri || !scope) return bad("redirectUri and scope are required");
    try {
      return c.json({
        url: fake.approve({ redirectUri, scope, state: str(body.state), userId: str(body.userId) }),
      });
    } catch (err) {
      return bad(err instanceof Error ? err.message : "approve failed");
    }
  });
  app.post("/revoke", async (c) => {
    const body = await jsonBody(c.req.raw);
    const token = str(body.token);
    const userId = str(body.userId);
    if (token) return c.json({ revoked: fake.revokeToken(token) ? 1 : 0 });
    if (userId) return c.json({ revoked: fake.revokeUser(userId) });
    return bad("token or userId is required");
  });
  app.post("/usage", async (c) => {
    const body = await jsonBody(c.req.raw);
    try {
      fake.setUsage({
        userId: str(body.userId),
        appCallCount: num(body.appCallCount),
        businessCallCount: num(body.businessCallCount),
        estimatedTimeToRegainAccess: num(body.estimatedTimeToRegainAccess),
      });
    } catch (err) {
      return bad(err instanceof Error ? err.message : "setUsage failed");
    }
    return c.json({ ok: true });
  });
  app.get("/containers", (c) => c.json(fake.containers()));
  app.post("/publishing", async (c) => {
    const body = await jsonBody(c.req.raw);
    try {
      const delayMs = num(body.delayMs);
      const limit = num(body.limit);
      if (delayMs !== undefined) fake.setContainerDelay(delayMs);
      if (limit !== undefined) fake.setPublishingLimit(limit);
      const failNext = body.failNext;
      if (typeof failNext === "object" && failNext !== null) {
        const f = failNext as Record<string, unknown>;
        fake.failNextContainer({
          ...(num(f.code) === undefined ? {} : { code: num(f.code) }),
          ...(num(f.subcode) === undefined ? {} : { subcode: num(f.subcode) }),
          ...(str(f.message) === undefined ? {} : { message: str(f.message) }),
          ...(num(f.times) === undefined ? {} : { times: num(f.times) }),
        });
      }
    } catch (err) {
      return bad(err instanceof Error ? err.message : "publishing settings refused");
    }
    return c.json({ ok: true });
  });
  app.post("/comments", async (c) => {
    const body = await jsonBody(c.req.raw);
    const mediaId = str(body.mediaId);
    const text = str(body.text);
    if (!mediaId || !text) return bad("mediaId and text are required");
    try {
      const username = str(body.username);
      const parentId = str(body.parentId);
      return c.json(
        fake.addComment({
          mediaId,
          text,
          ...(username ? { username } : {}),
          ...(parentId ? { parentId } : {}),
        }),
      );
    } catch (err) {
      return bad(err instanceof Error ? err.message : "addComment failed");
    }
  });
  app.post("/webhooks/send", async (c) => {
    const body = await jsonBody(c.req.raw);
    const signature = ["valid", "invalid", "missing"].find((s) => s === body.signature) as
      | "valid"
      | "invalid"
      | "missing"
      | undefined;
    const input: FakeWebhookInput & { callbackUrl?: string } = {};
    for (const key of ["callbackUrl", "userId", "field", "commentId", "secret"] as const) {
      const value = str(body[key]);
      if (value !== undefined) input[key] = value;
    }
    if (typeof body.value === "object" && body.value !== null)
      input.value = body.value as Record<string, unknown>;
    const time = num(body.time);
    if (time !== undefined) input.time = time;
    if (signature) input.signature = signature;
    try {
      return c.json(await fake.sendWebhook(input));
    } catch (err) {
      return bad(err instanceof Error ? err.message : "sendWebhook failed");
    }
  });
  app.post("/webhooks/verify", async (c) => {
    const body = await jsonBody(c.req.raw);
    const verifyToken = str(body.verifyToken);
    if (!verifyToken) return bad("verifyToken is required");
    try {
      const callbackUrl = str(body.callbackUrl);
      const challenge = str(body.challenge);
      const mode = str(body.mode);
      return c.json(
        await fake.verifyWebhook({
          verifyToken,
          ...(callbackUrl ? { callbackUrl } : {}),
          ...(challenge ? { challenge } : {}),
          ...(mode ? { mode } : {}),
        }),
      );
    } catch (err) {
      return bad(err instanceof Error ? err.message : "verifyWebhook failed");
    }
  });
  app.post("/code-exchange-shape", async (c) => {
    const shape = (await jsonBody(c.req.raw)).shape;
    if (shape !== "flat" && shape !== "data") return bad('shape must be "flat" or "data"');
    fake.setCodeExchangeShape(shape);
    return c.json({ ok: true });
  });
  return app;
}
