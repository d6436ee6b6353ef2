import { Hono } from "hono";
import { callsAndFaults } from "./calls-and-faults.ts";
import { createClock } from "./clock.ts";
import type { FakeComment } from "./comments.ts";
import { addComment, commentsOf, findComment } from "./comments.ts";
import { approveRedirect, denyRedirect, pickUser, validateAuthorize } from "./consent.ts";
import type { FakeContext } from "./context.ts";
import { FaultQueue } from "./faults.ts";
import { fetchThrough } from "./fetch-through.ts";
import { graphError } from "./graph-errors.ts";
import type { FakeContainer } from "./publishing.ts";
import { authorizeRoutes } from "./routes/authorize.ts";
import { cdnRoutes } from "./routes/cdn.ts";
import { codeExchangeRoutes } from "./routes/code-exchange.ts";
import { graphRoutes } from "./routes/graph.ts";
import { longLivedRoutes } from "./routes/long-lived.ts";
import { objectRoutes } from "./routes/objects.ts";
import { buildUser, instagramTimestamp, seedUsers } from "./seed.ts";
import { buildSignedRequest } from "./signed-request.ts";
import type { FakeState } from "./state.ts";
import { findUser } from "./state.ts";
import { TokenStore } from "./tokens.ts";
import type {
  ApproveInput,
  CodeExchangeShape,
  DenyInput,
  FakeCall,
  FakeClock,
  FakeFault,
  FakeInstagramOptions,
  FakeRequest,
  FakeUsageInput,
  FakeUser,
  FakeUserInput,
  SignedRequestInput,
} from "./types.ts";
import { ALL_ACCOUNTS } from "./usage-headers.ts";
import type { FakeWebhookDelivery } from "./webhooks.ts";
import { buildWebhookDelivery, buildWebhookPayload } from "./webhooks.ts";

/** A running fake Instagram: the Hono app plus knobs for tests. */
export interface FakeInstagram {
  app: Hono;
  /** fetch-compatible: answers any host's URL by its path; rejects like fetch when the signal aborts. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  clock: FakeClock;
  users: FakeUser[];
  calls: FakeCall[];
  faults: { inject(fault: FakeFault): void; clear(): void; readonly pending: number };
  addUser(input?: FakeUserInput): FakeUser;
  /** Simulates Allow: returns `${redirectUri}?code=...&state=...#_`. Throws on an invalid request. */
  approve(input: ApproveInput): string;
  /** Simulates Deny: returns the `error=access_denied` redirect. */
  deny(input: DenyInput): string;
  revokeToken(token: string): boolean;
  /** Revokes every token of a user (app-scoped id, professional id or username); returns how many. */
  revokeUser(userId: string): number;
  /** Withdraws one scope from every token of a user (later calls needing it get Graph code 10). */
  removePermission(userId: string, scope: string): number;
  setUsage(input: FakeUsageInput): void;
  setCodeExchangeShape(shape: CodeExchangeShape): void;
  /** Async (WebCrypto HMAC): resolves to a valid `signed_request` for `userId`. */
  signedRequest(input: SignedRequestInput): Promise<string>;
  /** Every request received since the last `clearRequests()`, with its full URL (a copy). */
  requests(): FakeRequest[];
  /** Empties the request log. */
  clearRequests(): void;
  /** Every publishing container created so far (copies), oldest first. */
  containers(): FakeContainer[];
  /** How long new containers stay IN_PROGRESS on the fake clock. */
  setContainerDelay(ms: number): void;
  /** Makes the next `times` (default 1) containers end in ERROR (default -1/2207032). */
  failNextContainer(input?: { code?: number; subcode?: number; message?: string; times?: number }): void;
  /** Sets `config.quota_total`, the posts allowed per moving 24 h. */
  setPublishingLimit(limit: number): void;
  /** The comments (and replies) of a media item, newest first; seeds them on first use. */
  comments(mediaId: string): FakeComment[];
  /** A visitor (default `visitor_new`) comments, or replies with `parentId`; returns the comment. */
  addComment(input: { mediaId: string; text: string; username?: string; parentId?: string }): FakeComment;
  /** Async: a signed Instagram webhook delivery (body + headers), not sent. */
  webhook(input: FakeWebhookInput): Promise<FakeWebhookDelivery>;
  /** Async: POSTs a signed webhook to `callbackUrl` (or the configured one) via `outboundFetch`. */
  sendWebhook(input: FakeWebhookInput & { callbackUrl?: string }): Promise<{ status: number; body: string }>;
  /** Async: calls the callback's verification GET (`hub.mode`, `hub.challenge`, `hub.verify_token`). */
  verifyWebhook(input: {
    callbackUrl?: string;
    verifyToken: string;
    challenge?: string;
    mode?: string;
  }): Promise<{ status: number; body: string; ok: boolean }>;
  /** Replaces the function the fake uses to reach other hosts (media URLs, webhooks). */
  setOutboundFetch(fetch: (request: Request) => Promise<Response>): void;
}

/** What `fake.webhook` / `fake.sendWebhook` build. */
export interface FakeWebhookInput {
  /** Account the entry is for (any id or username); default the first seeded user. */
  userId?: string;
  /** Default `comments`. */
  field?: string;
  /** The change's `value`; built from the fake's state when `commentId` is given. */
  value?: Record<string, unknown>;
  /** A comment in the fake: builds Meta's `comments` value for it (`id`, `text`, `from`, `media`, `parent_id`). */
  commentId?: string;
  /** `entry[].time` in Unix seconds; default the fake clock's now. */
  time?: number;
  /** Signing key; default the fake's client secret (the Instagram app secret). */
  secret?: string;
  signature?: "valid" | "invalid" | "missing";
}

/**
 * Creates a stateful fake of Instagram's OAuth and Graph endpoints (pure Hono + web APIs).
 *
 * @example
 * const fake = createFakeInstagram();
 * const callback = fake.approve({ redirectUri: "http://localhost:8787/v1/oauth/callback", scope: "instagram_business_basic", state: "s1" });
 * const res = await fake.fetch("https://fake.instagram.test/v25.0/me?fields=username&access_token=...");
 */
export function createFakeInstagram(options: FakeInstagramOptions = {}): FakeInstagram {
  const clock = createClock(options.now);
  const state: FakeState = {
    clientId: options.clientId ?? "fake-client-id",
    clientSecret: options.clientSecret ?? "fake-client-secret",
    redirectUris: options.redirectUris ?? ["http://localhost:8787/v1/oauth/callback"],
    denialEchoesState: options.denialEchoesState ?? true,
    clock,
    users: seedUsers(),
    codes: new Map(),
    calls: [],
    requests: [],
    codeExchangeShape: options.codeExchangeShape ?? "flat",
    appCallCount: 1,
    businessUsage: new Map(),
    cdnFormat: options.cdnImageFormat ?? "svg",
    publishing: {
      containers: new Map(),
      published: new Map(),
      stories: new Map(),
      delayMs: options.containerDelayMs ?? 10_000,
      limit: options.publishingLimit ?? 100,
      failNext: [],
      serial: 0,
    },
    comments: new Map(),
    outboundFetch: options.outboundFetch ?? ((request) => fetch(request)),
    insecureMediaOrigins: options.insecureMediaOrigins ?? [],
    webhookCallbackUrl: options.webhookCallbackUrl,
  };
  const ctx: FakeContext = { state, tokens: new TokenStore(clock), faults: new FaultQueue() };
  const app = new Hono();

  app.use("*", callsAndFaults(ctx));
  app.route("/", authorizeRoutes(ctx));
  app.route("/", codeExchangeRoutes(ctx));
  app.route("/", longLivedRoutes(ctx));
  app.route("/", graphRoutes(ctx));
  app.route("/", objectRoutes(ctx));
  app.route("/", cdnRoutes(ctx));
  app.notFound((c) => c.json(graphError(2500, `Unknown path components: ${c.req.path}`), 400));
  app.onError((_err, c) => c.json(graphError(2, "An unexpected error has occurred."), 500));
  ctx.selfFetch = async (request) => app.fetch(request);

  const mediaOwner = (mediaId: string) => {
    for (const user of state.users) {
      const media = user.media.find((m) => m.id === mediaId);
      if (media) return { user, media };
    }
    const story = state.publishing.stories.get(mediaId);
    const owner = story ? findUser(state, story.ownerId) : undefined;
    return story && owner ? { user: owner, media: story.media } : undefined;
  };

  const webhook = async (input: FakeWebhookInput): Promise<FakeWebhookDelivery> => {
    let user = input.userId === undefined ? state.users[0] : findUser(state, input.userId);
    let field = input.field ?? "comments";
    let value = input.value ?? {};
    if (input.commentId) {
      const found = findComment(state.comments, state.users, input.commentId);
      if (!found) throw new Error(`fake.webhook: unknown comment ${input.commentId}`);
      user = found.owner;
      field = input.field ?? "comments";
      const { comment, media } = found;
      const self = comment.from.id === found.owner.userId;
      value = {
        id: comment.id,
        text: comment.text,
        from: { ...comment.from, ...(self ? { self_ig_scoped_id: comment.from.id } : {}) },
        media: {
          id: media.id,
          media_product_type: media.productType ?? (media.mediaType === "VIDEO" ? "REELS" : "FEED"),
        },
        ...(comment.parentId ? { parent_id: comment.parentId } : {}),
      };
    }
    if (!user) throw new Error(`fake.webhook: unknown user ${input.userId}`);
    const payload = buildWebhookPayload({
      igUserId: user.userId,
      field,
      value,
      time: input.time ?? Math.floor(clock.now() / 1000),
    });
    return buildWebhookDelivery(payload, input.secret ?? state.clientSecret, input.signature);
  };

  return {
    app,
    fetch: fetchThrough(app),
    clock,
    users: state.users,
    calls: state.calls,
    faults: ctx.faults,
    addUser(input = {}) {
      const user = buildUser(input, state.users.length + 1);
      if (findUser(state, user.id) || findUser(state, user.userId) || findUser(state, user.username)) {
        throw new Error(`fake user ${user.username} (${user.id}) already exists`);
      }
      state.users.push(user);
      return user;
    },
    approve(input) {
      const check = validateAuthorize(state, {
        clientId: input.clientId ?? state.clientId,
        redirectUri: input.redirectUri,
        responseType: "code",
        scope: Array.isArray(input.scope) ? input.scope.join(",") : input.scope,
        ...(input.state === undefined ? {} : { state: input.state }),
      });
      if (!check.ok) throw new Error(`fake.approve: ${check.message}`);
      const user = pickUser(state, input.userId);
      if (!user) throw new Error(`fake.approve: unknown user ${input.userId}`);
      return approveRedirect(state, check.request, user);
    },
    deny(input) {
      return denyRedirect(input.redirectUri, input.state, input.echoState ?? state.denialEchoesState);
    },
    revokeToken: (token) => ctx.tokens.revokeToken(token),
    revokeUser(userId) {
      const user = findUser(state, userId);
      return user ? ctx.tokens.revokeUser(user.id) : 0;
    },
    removePermission(userId, scope) {
      const user = findUser(state, userId);
      return user ? ctx.tokens.removeScope(user.id, scope) : 0;
    },
    setUsage(input) {
      if (input.appCallCount !== undefined) state.appCallCount = input.appCallCount;
      if (input.businessCallCount === undefined && input.estimatedTimeToRegainAccess === undefined) return;
      const key = input.userId === undefined ? ALL_ACCOUNTS : findUser(state, input.userId)?.id;
      if (key === undefined) throw new Error(`fake.setUsage: unknown user ${input.userId}`);
      const previous = state.businessUsage.get(key);
      state.businessUsage.set(key, {
        callCount: input.businessCallCount ?? previous?.callCount ?? 1,
        estimatedTimeToRegainAccess:
          input.estimatedTimeToRegainAccess ?? previous?.estimatedTimeToRegainAccess ?? 0,
      });
    },
    setCodeExchangeShape(shape) {
      state.codeExchangeShape = shape;
    },
    signedRequest(input) {
      const payload = {
        algorithm: input.algorithm ?? "HMAC-SHA256",
        issued_at: input.issuedAt ?? Math.floor(clock.now() / 1000),
        user_id: input.userId,
        ...input.extra,
      };
      return buildSignedRequest(payload, input.secret ?? state.clientSecret);
    },
    containers: () =>
      [...state.publishing.containers.values()].map((c) => ({ ...c, children: [...c.children] })),
    setContainerDelay(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError("container delay must be a non-negative number");
      state.publishing.delayMs = ms;
    },
    failNextContainer(input = {}) {
      const failure = {
        code: input.code ?? -1,
        subcode: input.subcode ?? 2207032,
        message: input.message ?? "Create media fail, please try to re-create media",
      };
      for (let i = 0; i < (input.times ?? 1); i++) state.publishing.failNext.push({ ...failure });
    },
    setPublishingLimit(limit) {
      if (!Number.isInteger(limit) || limit < 0)
        throw new RangeError("publishing limit must be a non-negative integer");
      state.publishing.limit = limit;
    },
    comments(mediaId) {
      const found = mediaOwner(mediaId);
      if (!found) throw new Error(`fake.comments: unknown media ${mediaId}`);
      return commentsOf(state.comments, found.media).map((c) => ({ ...c, from: { ...c.from } }));
    },
    addComment(input) {
      const found = mediaOwner(input.mediaId);
      if (!found) throw new Error(`fake.addComment: unknown media ${input.mediaId}`);
      const username = input.username ?? "visitor_new";
      const serial = String(state.publishing.serial + 1).padStart(9, "0");
      return addComment(state.comments, state.publishing, found.media, {
        text: input.text,
        from: { id: `17958${serial}000`, username },
        timestamp: instagramTimestamp(clock.now()),
        ...(input.parentId ? { parentId: input.parentId } : {}),
      });
    },
    webhook,
    async sendWebhook(input) {
      const url = input.callbackUrl ?? state.webhookCallbackUrl;
      if (!url) throw new Error("fake.sendWebhook: no callbackUrl and no webhookCallbackUrl option");
      const delivery = await webhook(input);
      const res = await state.outboundFetch(
        new Request(url, { method: "POST", headers: delivery.headers, body: delivery.body }),
      );
      return { status: res.status, body: await res.text() };
    },
    async verifyWebhook(input) {
      const base = input.callbackUrl ?? state.webhookCallbackUrl;
      if (!base) throw new Error("fake.verifyWebhook: no callbackUrl and no webhookCallbackUrl option");
      const url = new URL(base);
      const challenge = input.challenge ?? String(1_000_000_000 + (clock.now() % 1_000_000_000));
      url.searchParams.set("hub.mode", input.mode ?? "subscribe");
      url.searchParams.set("hub.challenge", challenge);
      url.searchParams.set("hub.verify_token", input.verifyToken);
      const res = await state.outboundFetch(new Request(url));
      const body = await res.text();
      return { status: res.status, body, ok: res.status === 200 && body === challenge };
    },
    setOutboundFetch(fn) {
      state.outboundFetch = fn;
    },
    requests: () => state.requests.map((r) => ({ ...r })),
    clearRequests() {
      state.requests.length = 0;
    },
  };
}
