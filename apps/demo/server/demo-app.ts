import { type RelayClient, type RelayResult, verifyConnectReceipt } from "@instagram-connect/client";
import type { ConnectionView } from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DEMO_USERS, type DemoUser, demoSessions, isUserKey } from "./demo-users.ts";

/** What the demo site's backend needs: a relay client holding its API key, and where things live. */
export interface DemoAppOptions {
  relay: RelayClient;
  /** The relay's origin (its JWKS and the receipts' issuer). */
  relayUrl: string;
  /** The demo site's origin: sessions, feeds and receipts are bound to it. */
  siteOrigin: string;
  /** Signs the sign-in cookie. */
  cookieSecret: string;
}

/** Instagram's own cap on a published image; the relay refuses more too. */
const MAX_PICTURE_BYTES = 8 * 1024 * 1024;

type Variables = { user: DemoUser };

/**
 * The demo site's backend, mounted at `/demo-api` (the page reaches it through Vite's proxy, so
 * same-origin with its cookie). It plays the part of "your server": it holds the relay API key,
 * creates connect sessions for the signed-in user, and only ever acts on that user's connections.
 */
export function createDemoApp(options: DemoAppOptions): Hono {
  const { relay, siteOrigin } = options;
  const sessions = demoSessions(options.cookieSecret);
  const jwks = `${options.relayUrl}/.well-known/jwks.json`;
  const issuer = new URL(options.relayUrl).origin;
  const app = new Hono().basePath("/demo-api");

  // Cookie-authenticated writes must come from the demo's own pages.
  app.use(csrf({ origin: siteOrigin }));

  app.get("/me", async (c) => c.json({ user: await sessions.current(c) }));

  app.post("/sign-in", async (c) => {
    const body = await c.req.json().catch(() => null);
    const key = body && typeof body === "object" ? (body as { user?: unknown }).user : undefined;
    if (!isUserKey(key)) return fail(c, 400, "invalid_request", 'user must be "a" or "b"');
    await sessions.signIn(c, DEMO_USERS[key]);
    return c.json({ user: DEMO_USERS[key] });
  });

  app.post("/sign-out", (c) => {
    sessions.signOut(c);
    return c.json({ user: null });
  });

  // Everything below acts for the signed-in user only.
  const signedIn = new Hono<{ Variables: Variables }>();
  signedIn.use(async (c, next) => {
    const user = await sessions.current(c);
    if (!user) return fail(c, 401, "unauthorized", "Sign in as user A or B first.");
    c.set("user", user);
    await next();
  });

  /** The signed-in user's connections (one page is plenty for a demo). */
  const connectionsOf = (user: DemoUser) => relay.listConnections({ endUserId: user.id, limit: 50 });

  /** The connection `id` if the signed-in user owns it, else null (another user's id looks unknown). */
  async function owned(user: DemoUser, id: string): Promise<ConnectionView | null> {
    const page = await connectionsOf(user);
    return page.ok ? (page.data.items.find((item) => item.id === id) ?? null) : null;
  }

  signedIn.post("/connect-session", async (c) => {
    const user = c.get("user");
    const body = (await c.req.json().catch(() => ({}))) as { reconnectConnectionId?: unknown };
    const reconnect =
      typeof body.reconnectConnectionId === "string"
        ? { reconnectConnectionId: body.reconnectConnectionId }
        : {};
    const session = await relay.createConnectSession({
      endUser: { id: user.id, displayName: user.displayName },
      allowedOrigins: [siteOrigin],
      metadata: { demo: true },
      ttlSeconds: 600,
      ...reconnect,
    });
    // The token goes to this page only (JSON, never a URL), and the widget posts it to the popup.
    return relayAnswer(c, session, (data) => ({ token: data.token, expiresAt: data.expiresAt }));
  });

  // A hosted connect link that reconnects one of the user's connections: what a site would e-mail
  // ("your Instagram connection expired: reconnect"). It runs the consent on the relay, no React.
  signedIn.post("/connections/:id/reconnect-link", async (c) => {
    const user = c.get("user");
    const id = c.req.param("id");
    if (!(await owned(user, id))) return notFound(c);
    const session = await relay.createConnectSession({
      endUser: { id: user.id, displayName: user.displayName },
      allowedOrigins: [siteOrigin],
      reconnectConnectionId: id,
      returnUrl: `${siteOrigin}/site.html`,
      ttlSeconds: 600,
    });
    return relayAnswer(c, session, (data) => ({ connectUrl: data.connectUrl, expiresAt: data.expiresAt }));
  });

  signedIn.get("/connections", async (c) =>
    relayAnswer(c, await connectionsOf(c.get("user")), (data) => ({ items: data.items })),
  );

  signedIn.delete("/connections/:id", async (c) => {
    const id = c.req.param("id");
    if (!(await owned(c.get("user"), id))) return notFound(c);
    return relayAnswer(c, await relay.disconnect(id), (data) => data);
  });

  // What the page reports after consent is checked here, offline, against the relay's public keys.
  signedIn.post("/receipts/verify", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { receipt?: unknown } | null;
    if (typeof body?.receipt !== "string") return fail(c, 400, "invalid_request", "receipt must be a string");
    const result = await verifyConnectReceipt(body.receipt, { jwks, origin: siteOrigin, issuer });
    if (!result.ok) return c.json({ verified: false, reason: result.reason });
    const user = c.get("user");
    // A valid receipt of another end user proves nothing about this one.
    if (result.claims.endUserId !== user.id) return c.json({ verified: false, reason: "wrong_end_user" });
    return c.json({ verified: true, claims: result.claims });
  });

  signedIn.get("/feeds", async (c) => {
    const [mine, feeds] = await Promise.all([connectionsOf(c.get("user")), relay.listFeeds({ limit: 100 })]);
    if (!mine.ok) return relayAnswer(c, mine, () => ({}));
    const ids = new Set(mine.data.items.map((item) => item.id));
    return relayAnswer(c, feeds, (data) => ({
      items: data.items.filter((feed) => ids.has(feed.connectionId)),
    }));
  });

  signedIn.post("/feeds", async (c) => {
    const body = (await c.req.json().catch(() => null)) as { connectionId?: unknown } | null;
    const id = typeof body?.connectionId === "string" ? body.connectionId : "";
    if (!(await owned(c.get("user"), id))) return notFound(c);
    // Only this site's pages may read the feed (CORS); the relay copies the images into R2.
    const made = await relay.createFeed({ connectionId: id, allowedOrigins: [siteOrigin], limit: 12 });
    return relayAnswer(c, made, (data) => data, 201);
  });

  signedIn.get("/connections/:id/media", async (c) => {
    const id = c.req.param("id");
    if (!(await owned(c.get("user"), id))) return notFound(c);
    // `limit` passes through (the relay checks its range): another page size is another cache
    // entry, so a page can ask Instagram now instead of the relay's cached page.
    const limit = Number(c.req.query("limit") ?? 12);
    return relayAnswer(c, await relay.listMedia(id, { limit }), (data) => data);
  });

  // The picture's bytes go to the relay (R2), which serves them to Instagram at a short-lived URL.
  signedIn.post(
    "/connections/:id/pictures",
    bodyLimit({
      maxSize: MAX_PICTURE_BYTES,
      onError: (c) => fail(c, 413, "payload_too_large", "Pictures are at most 8 MiB."),
    }),
    async (c) => {
      const id = c.req.param("id");
      if (c.req.header("content-type") !== "image/jpeg")
        return fail(c, 400, "media_invalid", "Instagram publishes JPEG pictures only.");
      if (!(await owned(c.get("user"), id))) return notFound(c);
      const bytes = await c.req.arrayBuffer();
      const upload = await relay.uploadMedia(id, bytes, "image/jpeg");
      if (!upload.ok) return relayAnswer(c, upload, () => ({}));
      const caption = c.req.query("caption") ?? "Published from the instagram-connect demo";
      const job = await relay.publish(
        id,
        { type: "image", media: { uploadId: upload.data.uploadId }, caption },
        crypto.randomUUID(),
      );
      return relayAnswer(c, job, (data) => data, 202);
    },
  );

  signedIn.get("/connections/:id/jobs/:jobId", async (c) => {
    const id = c.req.param("id");
    if (!(await owned(c.get("user"), id))) return notFound(c);
    return relayAnswer(c, await relay.getPublishJob(id, c.req.param("jobId")), (data) => data);
  });

  app.route("/", signedIn);
  app.notFound((c) => notFound(c));
  app.onError((error, c) => {
    // Middleware refusals (csrf: 403) keep their status, as a typed error.
    if (error instanceof HTTPException)
      return fail(
        c,
        error.status === 403 ? 403 : 400,
        error.status === 403 ? "forbidden" : "invalid_request",
        error.message,
      );
    // The relay client only throws on a network failure: the relay is down or restarting.
    console.error(`[demo-api] ${c.req.method} ${c.req.path}: ${error.message}`);
    return fail(c, 502, "relay_unreachable", "The relay did not answer; is it running?");
  });
  return app;
}

function fail(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

const notFound = (c: Context) => fail(c, 404, "not_found", "No such connection for this user.");

/** The relay's answer as this API's: the picked data, or the relay's typed error with its status. */
function relayAnswer<T>(
  c: Context,
  result: RelayResult<T>,
  pick: (data: T) => unknown,
  status: ContentfulStatusCode = 200,
) {
  if (!result.ok) return c.json({ error: result.error }, result.status as ContentfulStatusCode);
  return c.json(pick(result.data) as object, status);
}
