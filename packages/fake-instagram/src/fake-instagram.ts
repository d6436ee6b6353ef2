import { Hono } from "hono";
import { callsAndFaults } from "./calls-and-faults.ts";
import { createClock } from "./clock.ts";
import { approveRedirect, denyRedirect, pickUser, validateAuthorize } from "./consent.ts";
import type { FakeContext } from "./context.ts";
import { FaultQueue } from "./faults.ts";
import { fetchThrough } from "./fetch-through.ts";
import { graphError } from "./graph-errors.ts";
import { authorizeRoutes } from "./routes/authorize.ts";
import { cdnRoutes } from "./routes/cdn.ts";
import { codeExchangeRoutes } from "./routes/code-exchange.ts";
import { graphRoutes } from "./routes/graph.ts";
import { longLivedRoutes } from "./routes/long-lived.ts";
import { buildUser, seedUsers } from "./seed.ts";
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
  };
  const ctx: FakeContext = { state, tokens: new TokenStore(clock), faults: new FaultQueue() };
  const app = new Hono();

  app.use("*", callsAndFaults(ctx));
  app.route("/", authorizeRoutes(ctx));
  app.route("/", codeExchangeRoutes(ctx));
  app.route("/", longLivedRoutes(ctx));
  app.route("/", graphRoutes(ctx));
  app.route("/", cdnRoutes(ctx));
  app.notFound((c) => c.json(graphError(2500, `Unknown path components: ${c.req.path}`), 400));
  app.onError((_err, c) => c.json(graphError(2, "An unexpected error has occurred."), 500));

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
    requests: () => state.requests.map((r) => ({ ...r })),
    clearRequests() {
      state.requests.length = 0;
    },
  };
}
