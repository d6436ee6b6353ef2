/** Media kinds Instagram reports in `media_type`. */
export type FakeMediaType = "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";

/** One child of a carousel album. */
export interface FakeMediaChild {
  id: string;
  mediaType: "IMAGE" | "VIDEO";
}

/** One media item of a fake account; URLs are built per request so they point at the fake's own host. */
export interface FakeMedia {
  id: string;
  caption?: string;
  mediaType: FakeMediaType;
  /** Instagram's timestamp format, e.g. `2026-10-01T12:00:00+0000`. */
  timestamp: string;
  shortcode: string;
  /** Copyrighted material: `media_url` is omitted even when requested. */
  copyrighted: boolean;
  likeCount: number;
  commentsCount: number;
  children?: FakeMediaChild[];
  /** `false` after `POST /{media-id}?comment_enabled=false`; absent means enabled. */
  commentEnabled?: boolean;
  /** `media_product_type`; absent means REELS for VIDEO, FEED otherwise. */
  productType?: "FEED" | "REELS" | "STORY";
}

/** A fake Instagram professional account. */
export interface FakeUser {
  /** App-scoped id (`id` in /me, `user_id` in the code exchange): 17 digits, above 2^53. */
  id: string;
  /** Professional account id (`user_id` in /me, the id webhooks use). */
  userId: string;
  username: string;
  name: string;
  /** Stored as given: seeds use both `MEDIA_CREATOR` and `Media_Creator` casings. */
  accountType: string;
  biography: string;
  followersCount: number;
  followsCount: number;
  media: FakeMedia[];
}

/** What `addUser` accepts: every field optional, plus how many media items to generate. */
export type FakeUserInput = Partial<Omit<FakeUser, "media">> & { media?: FakeMedia[]; mediaCount?: number };

/** Endpoints a fault can target (`any` matches all of them except `cdn`). */
export type FakeEndpoint =
  | "code_exchange"
  | "long_lived"
  | "refresh"
  | "me"
  | "media"
  | "media_create"
  | "media_publish"
  | "publishing_limit"
  | "node"
  | "comments"
  | "replies"
  | "insights"
  | "cdn";

/** Endpoint names recorded in `fake.calls`. */
export type FakeCallEndpoint = FakeEndpoint | "authorize" | "permalink" | "unknown";

/** Kinds of failure the fake can inject. */
export type FakeFaultKind =
  | "http_5xx"
  | "timeout"
  | "rate_limit"
  | "token_revoked"
  | "malformed_json"
  | "oversized"
  | "wrong_content_type";

/** A fault to inject into the next matching call(s). */
export interface FakeFault {
  endpoint: FakeEndpoint | "any";
  kind: FakeFaultKind;
  /** How many matching calls fail (default 1). */
  times?: number;
  /** HTTP status to answer with (default 500 for http_5xx, 400 otherwise, as Instagram does). */
  status?: number;
  /** Graph error code (rate_limit default 4; e.g. 17, 32, 613, 80002). */
  code?: number;
  /** For `timeout`: hang until the request's signal aborts, or this many ms then answer normally. */
  delayMs?: number;
  /** For `oversized`: body size in bytes (default 16 MiB), streamed lazily with a true content-length. */
  bytes?: number;
}

/** One request as received, full URL included, so tests can assert no secret travels in a URL. */
export interface FakeRequest {
  method: string;
  /** The URL exactly as received, query string included. */
  url: string;
  endpoint: FakeCallEndpoint;
  /** Fake-clock time in ms. */
  at: number;
  /** Whether an `Authorization` header was present (its value is not recorded). */
  authorizationHeader: boolean;
  /** The request's `content-type`, when it had one. */
  contentType?: string;
}

/** One request the fake handled. */
export interface FakeCall {
  method: string;
  path: string;
  endpoint: FakeCallEndpoint;
  /** Fake-clock time in ms. */
  at: number;
}

/** Usage numbers reported in `X-App-Usage` / `X-Business-Use-Case-Usage` (percentages). */
export interface FakeUsageInput {
  /** Limit the business numbers to one account (app-scoped or professional id); all accounts if omitted. */
  userId?: string;
  appCallCount?: number;
  businessCallCount?: number;
  /** Minutes, as Instagram reports it. */
  estimatedTimeToRegainAccess?: number;
}

/** Shape of a successful code exchange: `flat` (seen in practice) or `data` (documented). */
export type CodeExchangeShape = "flat" | "data";

/** Options of `createFakeInstagram`; every one has a working default. */
export interface FakeInstagramOptions {
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URIs, matched exactly. */
  redirectUris?: string[];
  /** Clock in ms; `fake.clock.advance` adds to it. */
  now?: () => number;
  codeExchangeShape?: CodeExchangeShape;
  /** Whether a denial redirect echoes `state` (unconfirmed on the real service; default true). */
  denialEchoesState?: boolean;
  /** What the CDN serves for media: `svg` (default, labelled tiles) or real `png` bytes. */
  cdnImageFormat?: "svg" | "png";
  /**
   * How the fake reaches other hosts: media URLs given to `POST /{ig-user-id}/media` and webhook
   * deliveries. Default `globalThis.fetch`; URLs on the fake's own host are answered in-process.
   */
  outboundFetch?: (input: Request) => Promise<Response>;
  /**
   * Exact `http://` origins whose media URLs are downloaded although not https (default none):
   * a local relay without TLS (`pnpm dev`, the e2e stack) serving uploads. Real Instagram needs https.
   */
  insecureMediaOrigins?: string[];
  /** Where `sendWebhook` / `POST /__fake/webhooks/send` deliver when no `callbackUrl` is given. */
  webhookCallbackUrl?: string;
  /** How long a new publishing container stays IN_PROGRESS on the fake clock (default 10 000 ms). */
  containerDelayMs?: number;
  /** Posts per moving 24 h (`config.quota_total`), default 100 as in Meta's Instagram-Login guide. */
  publishingLimit?: number;
}

/** The fake's clock: `advance` moves time forward for token/code expiry. */
export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

/** Arguments of `fake.approve`. */
export interface ApproveInput {
  clientId?: string;
  redirectUri: string;
  /** Comma-separated string or list of scope names. */
  scope: string | string[];
  state?: string;
  /** App-scoped id, professional id or username; defaults to the first seeded user. */
  userId?: string;
}

/** Arguments of `fake.deny`. */
export interface DenyInput {
  redirectUri: string;
  state?: string;
  echoState?: boolean;
}

/** Arguments of `fake.signedRequest`. */
export interface SignedRequestInput {
  userId: string;
  /** Seconds since epoch; defaults to the fake clock's now. */
  issuedAt?: number;
  algorithm?: string;
  /** Defaults to the fake's client secret. */
  secret?: string;
  extra?: Record<string, unknown>;
}
