import type { InstagramScope } from "@instagram-connect/types";
import { fromBase64 } from "../crypto/base64url.ts";
import { KeyRing, parseRootKeys } from "../crypto/keys.ts";
import { logEvent } from "../log.ts";
import { FailureError, fail, ok, type Result } from "../result.ts";
import { checkScopesFollowFeatures, type Feature, features } from "./feature-scopes.ts";
import { type RateLimitConfig, rateLimitPolicies } from "./rate-limit-policies.ts";
import {
  exactUrl,
  flag,
  graphVersion,
  headerNameOrNone,
  InvalidValue,
  instagramUrl,
  integer,
  list,
  origin,
  scopes,
  text,
  token,
  webhookUrl,
} from "./setting-values.ts";

/**
 * The one module that reads settings (wrangler vars and secrets) by name; bindings (KV, Durable
 * Objects) stay on `env`. Everything else receives the parsed `RelayConfig`: routes through
 * `c.get("config")`, Durable Objects and the cron through `relayConfig(this.env)`.
 */

/** Every setting the relay reads from wrangler vars and secrets. */
export const SETTINGS = [
  "INSTAGRAM_CLIENT_ID",
  "INSTAGRAM_CLIENT_SECRET",
  "INSTAGRAM_REDIRECT_URI",
  "ALLOWED_ORIGINS",
  "ALLOWED_RETURN_TO",
  "ALLOWED_SCOPES",
  "TOKEN_ENCRYPTION_KEYS",
  "INSTAGRAM_AUTHORIZE_URL",
  "INSTAGRAM_API_BASE",
  "INSTAGRAM_GRAPH_BASE",
  "INSTAGRAM_GRAPH_VERSION",
  "ALLOW_INSECURE_INSTAGRAM",
  "UPSTREAM_TIMEOUT_MS",
  "RATE_LIMITS",
  "PROFILE_CACHE_SECONDS",
  "MEDIA_CACHE_SECONDS",
  "UPSTREAM_USAGE_THRESHOLD",
  "UPSTREAM_BACKOFF_SECONDS",
  "REFRESH_WINDOW_DAYS",
  "META_SIGNED_REQUEST_MAX_AGE_SECONDS",
  "API_TOKEN_EXPORT",
  "WEBHOOK_URL",
  "WEBHOOK_SECRET",
  "ANONYMOUS_CONNECT",
  "RECEIPT_SIGNING_KEYS",
  "ADMIN_SECRET",
  "CLIENT_IP_HEADER",
  "FEATURES",
  "INSTAGRAM_WEBHOOK_VERIFY_TOKEN",
  "INSIGHTS_CACHE_SECONDS",
  "FEED_CACHE_SECONDS",
  "FEED_REFRESH_SECONDS",
  "FEED_MEDIA_MAX_BYTES",
  "ANOMALY_RATE_FACTOR",
  "ANOMALY_MIN_REQUESTS",
  "ANOMALY_BASELINE_HOURS",
  "ANOMALY_NEW_COUNTRY",
] as const;

/** The name of one setting. */
export type SettingName = (typeof SETTINGS)[number];

/** Raw settings as bound in the Worker env (unknown until validated). */
export type ConfigSource = Partial<Record<SettingName, unknown>>;

/** The consent flow and the Instagram endpoints it talks to. */
export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  allowedOrigins: readonly string[];
  allowedReturnTo: readonly string[];
  /** Scopes a site may ask for; always includes instagram_business_basic. */
  allowedScopes: readonly InstagramScope[];
  authorizeUrl: string;
  /** Base URLs without a trailing slash. */
  apiBase: string;
  graphBase: string;
  graphVersion: string;
  upstreamTimeoutMs: number;
}

/** How long reads are cached and how the relay backs off Instagram. */
export interface CacheSettings {
  /** `PROFILE_CACHE_SECONDS`: how long a profile read is served without asking Instagram. */
  profileCacheSeconds: number;
  /** `MEDIA_CACHE_SECONDS`: the same for media pages (also bounded by the URLs' expiry). */
  mediaCacheSeconds: number;
  /** `UPSTREAM_USAGE_THRESHOLD`: usage percent from which the relay stops calling for an account. */
  usageThreshold: number;
  /** `UPSTREAM_BACKOFF_SECONDS`: the pause when Instagram throttles without a regain time. */
  backoffSeconds: number;
}

/** Token lifecycle settings (none is secret). */
export interface LifecycleSettings {
  /** A token is refreshed once it expires within this many ms (REFRESH_WINDOW_DAYS, default 7). */
  refreshWindowMs: number;
  /** A signed_request older than this is refused (META_SIGNED_REQUEST_MAX_AGE_SECONDS, default 3600). */
  signedRequestMaxAgeMs: number;
}

/** Where and how webhooks are delivered. */
export interface WebhookSettings {
  url: string;
  secret: string;
}

/** Public feeds (src/feeds). */
export interface FeedSettings {
  /** `FEED_CACHE_SECONDS`: how long browsers and the edge cache keep a feed answer (default 60). */
  cacheSeconds: number;
  /** `FEED_REFRESH_SECONDS`: how old a feed may get before it is read from Instagram again (default 900). */
  refreshSeconds: number;
  /** `FEED_MEDIA_MAX_BYTES`: a larger image is not copied (nor proxied); default 8 MiB. */
  maxMediaBytes: number;
}

/** App API settings. */
export interface ApiSettings {
  /** `API_TOKEN_EXPORT`: whether `GET .../token` may hand out access tokens (with `token:read`). */
  tokenExport: boolean;
}

/** Connect sessions and receipts. */
export interface SessionSettings {
  /** `ANONYMOUS_CONNECT`: whether a consent may start without a connect session (default true). */
  anonymousConnect: boolean;
  /**
   * `RECEIPT_SIGNING_KEYS`: Ed25519 private keys as `kid:<base64 of the 32-byte seed>`, newest
   * first (it signs; all are published in the JWKS). Empty: no receipts.
   */
  receiptKeys: readonly { kid: string; seed: Uint8Array<ArrayBuffer> }[];
}

/** The admin API (`/v1/admin`): its bearer secret. */
export interface AdminSettings {
  /** `ADMIN_SECRET` (a Worker secret): what `Authorization: Bearer` must carry on `/v1/admin`. */
  secret: string;
}

/** Where the client's IP comes from (rate-limit keys, monitoring). */
export interface NetworkSettings {
  /**
   * `CLIENT_IP_HEADER`: the request header holding the client IP, set by a proxy the client cannot
   * bypass (`cf-connecting-ip`, the default, behind Cloudflare); `none` when no such proxy exists:
   * every client then shares one per-IP bucket rather than trusting a header anyone can send.
   */
  clientIpHeader: string | null;
}

/** What apps may do on connected accounts (publishing, comments, insights, Instagram's webhooks). */
export interface ActionSettings {
  /** `FEATURES`: the enabled features (default all); `ALLOWED_SCOPES` may only name their scopes. */
  features: readonly Feature[];
  /** `INSTAGRAM_WEBHOOK_VERIFY_TOKEN`: the dashboard's Verify Token; null turns Instagram's webhooks off. */
  webhookVerifyToken: string | null;
  /** `INSIGHTS_CACHE_SECONDS`: how long an insights read is served from KV (60..3600, default 300). */
  insightsCacheSeconds: number;
}

/** When a `security.anomaly` webhook fires (src/usage/anomaly.ts). */
export interface MonitoringSettings {
  /** `ANOMALY_RATE_FACTOR`: this hour's requests must reach this many times the hourly baseline (default 10). */
  rateFactor: number;
  /** `ANOMALY_MIN_REQUESTS`: and at least this many requests in the hour (default 100), so quiet keys stay quiet. */
  minRequests: number;
  /** `ANOMALY_BASELINE_HOURS`: the baseline is the mean per hour over this many earlier hours (default 24). */
  baselineHours: number;
  /** `ANOMALY_NEW_COUNTRY`: alert on a request from a country the subject never used (default true). */
  newCountry: boolean;
}

/**
 * The relay's validated configuration, in sections. `oauth` and `vault` are needed by every
 * route, so a bad value there fails the whole config. The optional knobs are `Result`s: a typo
 * in a cache or lifecycle setting fails only the feature that uses it (with the same
 * `config_error`), never the consent flow. A bad webhook setting turns webhooks off (logged).
 */
export interface RelayConfig {
  oauth: OAuthSettings;
  vault: { keys: KeyRing };
  limits: Result<RateLimitConfig>;
  cache: Result<CacheSettings>;
  lifecycle: Result<LifecycleSettings>;
  webhooks: WebhookSettings | null;
  api: Result<ApiSettings>;
  sessions: Result<SessionSettings>;
  /** Null when `ADMIN_SECRET` is unset: the admin routes then answer 404. */
  admin: Result<AdminSettings | null>;
  network: Result<NetworkSettings>;
  actions: ActionSettings;
  feeds: Result<FeedSettings>;
  monitoring: Result<MonitoringSettings>;
}

/** Media URLs are signed and expire: a cached page is never served longer than this. */
export const MEDIA_MAX_AGE_SECONDS = 4 * 3600;

/** Shortest accepted webhook signing secret (about 128 bits of base64). */
export const MIN_WEBHOOK_SECRET_LENGTH = 24;

/** Shortest accepted admin secret: it guards key creation, so about 190 bits of base64url. */
export const MIN_ADMIN_SECRET_LENGTH = 32;

const DAY_MS = 86_400_000;
const cache = new WeakMap<object, Result<RelayConfig>>();

/**
 * Validates the env once per env object (so once per isolate). A missing or malformed setting
 * is a `config_error` naming the setting and why, never its value.
 */
export function loadConfig(source: ConfigSource): Result<RelayConfig> {
  const cached = cache.get(source);
  if (cached) return cached;
  const result = section(() => parseConfig(source));
  cache.set(source, result);
  return result;
}

/**
 * The config or a thrown `config_error` for `app.onError`: how the config middleware, the
 * Durable Objects and the cron all get it.
 * @example
 * const config = relayConfig(this.env);
 */
export function relayConfig(source: ConfigSource): RelayConfig {
  const result = loadConfig(source);
  if (!result.ok) throw new FailureError(result.failure);
  return result.value;
}

function parseConfig(source: ConfigSource): RelayConfig {
  const allowInsecure = read(source, "ALLOW_INSECURE_INSTAGRAM", flag);
  const keys = read(source, "TOKEN_ENCRYPTION_KEYS", (value) => {
    const parsed = parseRootKeys(text(value));
    if (!parsed) throw new InvalidValue("expected kid:<base64 of 32 bytes>[,...]");
    return parsed;
  });
  const clientSecret = read(source, "INSTAGRAM_CLIENT_SECRET", (value) => {
    const secret = text(value);
    if (secret.length < 8) throw new InvalidValue("too short");
    return secret;
  });
  const enabled = read(source, "FEATURES", features);
  const base = (name: SettingName) =>
    read(source, name, (value) => instagramUrl(value, allowInsecure)).replace(/\/+$/, "");
  return {
    oauth: {
      clientId: read(source, "INSTAGRAM_CLIENT_ID", token),
      clientSecret,
      redirectUri: read(source, "INSTAGRAM_REDIRECT_URI", (value) => exactUrl(text(value))),
      allowedOrigins: read(source, "ALLOWED_ORIGINS", (value) => list(value, false).map(origin)),
      allowedReturnTo: read(source, "ALLOWED_RETURN_TO", (value) => list(value, true).map(exactUrl)),
      // Scopes follow features: a scope no enabled feature uses is refused at start-up.
      allowedScopes: read(source, "ALLOWED_SCOPES", (value) => {
        const allowed = scopes(list(value, true));
        checkScopesFollowFeatures(allowed, enabled);
        return allowed;
      }),
      authorizeUrl: read(source, "INSTAGRAM_AUTHORIZE_URL", (value) => instagramUrl(value, allowInsecure)),
      apiBase: base("INSTAGRAM_API_BASE"),
      graphBase: base("INSTAGRAM_GRAPH_BASE"),
      graphVersion: read(source, "INSTAGRAM_GRAPH_VERSION", graphVersion),
      upstreamTimeoutMs: read(source, "UPSTREAM_TIMEOUT_MS", (value) =>
        integer(value, { fallback: 10_000, min: 1, max: 60_000 }),
      ),
    },
    vault: { keys: new KeyRing(keys) },
    limits: rateLimitSettings(source),
    cache: cacheSettings(source),
    lifecycle: section(() => ({
      refreshWindowMs:
        read(source, "REFRESH_WINDOW_DAYS", (value) => integer(value, { fallback: 7, min: 1, max: 50 })) *
        DAY_MS,
      signedRequestMaxAgeMs:
        read(source, "META_SIGNED_REQUEST_MAX_AGE_SECONDS", (value) =>
          integer(value, { fallback: 3600, min: 60, max: 86_400 }),
        ) * 1000,
    })),
    webhooks: webhookSettings(source),
    api: section(() => ({ tokenExport: read(source, "API_TOKEN_EXPORT", flag) })),
    admin: adminSettings(source),
    network: section(() => ({ clientIpHeader: read(source, "CLIENT_IP_HEADER", headerNameOrNone) })),
    actions: {
      features: enabled,
      webhookVerifyToken: read(source, "INSTAGRAM_WEBHOOK_VERIFY_TOKEN", (value) =>
        value === undefined || value === "" ? null : token(value),
      ),
      insightsCacheSeconds: read(source, "INSIGHTS_CACHE_SECONDS", (value) =>
        integer(value, { fallback: 300, min: 60, max: 3600 }),
      ),
    },
    feeds: section(() => ({
      cacheSeconds: read(source, "FEED_CACHE_SECONDS", (value) =>
        integer(value, { fallback: 60, min: 0, max: 3600 }),
      ),
      refreshSeconds: read(source, "FEED_REFRESH_SECONDS", (value) =>
        integer(value, { fallback: 900, min: 60, max: 86_400 }),
      ),
      maxMediaBytes: read(source, "FEED_MEDIA_MAX_BYTES", (value) =>
        integer(value, { fallback: 8 * 1024 * 1024, min: 1024, max: 50 * 1024 * 1024 }),
      ),
    })),
    sessions: sessionSettings(source),
    monitoring: monitoringSettings(source),
  };
}

/** The anomaly thresholds; absent means the defaults. A bad value turns anomaly alerts off (counting goes on). */
export function monitoringSettings(source: ConfigSource): Result<MonitoringSettings> {
  return section(() => ({
    rateFactor: read(source, "ANOMALY_RATE_FACTOR", (value) =>
      integer(value, { fallback: 10, min: 2, max: 1000 }),
    ),
    minRequests: read(source, "ANOMALY_MIN_REQUESTS", (value) =>
      integer(value, { fallback: 100, min: 1, max: 10_000_000 }),
    ),
    baselineHours: read(source, "ANOMALY_BASELINE_HOURS", (value) =>
      integer(value, { fallback: 24, min: 1, max: 168 }),
    ),
    newCountry: read(source, "ANOMALY_NEW_COUNTRY", (value) =>
      value === undefined || value === "" ? true : flag(value),
    ),
  }));
}

/** `ANONYMOUS_CONNECT` (absent: true, so existing sites keep working) and `RECEIPT_SIGNING_KEYS`. */
export function sessionSettings(source: ConfigSource): Result<SessionSettings> {
  return section(() => ({
    anonymousConnect: read(source, "ANONYMOUS_CONNECT", (value) =>
      value === undefined || value === "" ? true : flag(value),
    ),
    receiptKeys: read(source, "RECEIPT_SIGNING_KEYS", (value) => {
      if (value === undefined || value === "") return [];
      return list(value, false).map((entry) => {
        const match = /^([A-Za-z0-9_-]{1,32}):(\S+)$/.exec(entry);
        const seed = match?.[2] ? fromBase64(match[2]) : null;
        if (!match?.[1] || seed?.byteLength !== 32) {
          throw new InvalidValue("expected kid:<base64 of a 32-byte Ed25519 seed>[,...]");
        }
        return { kid: match[1], seed };
      });
    }),
  }));
}

/** `RATE_LIMITS`: per-family GCRA policies (rate-limit-policies.ts); absent means the defaults. */
export function rateLimitSettings(source: ConfigSource): Result<RateLimitConfig> {
  return section(() => read(source, "RATE_LIMITS", rateLimitPolicies));
}

/** The read cache and upstream backoff knobs; absent means the default. */
export function cacheSettings(source: ConfigSource): Result<CacheSettings> {
  return section(() => ({
    profileCacheSeconds: read(source, "PROFILE_CACHE_SECONDS", (value) =>
      integer(value, { fallback: 300, min: 0, max: 86_400 }),
    ),
    mediaCacheSeconds: read(source, "MEDIA_CACHE_SECONDS", (value) =>
      integer(value, { fallback: 300, min: 0, max: MEDIA_MAX_AGE_SECONDS }),
    ),
    usageThreshold: read(source, "UPSTREAM_USAGE_THRESHOLD", (value) =>
      integer(value, { fallback: 90, min: 1, max: 100 }),
    ),
    backoffSeconds: read(source, "UPSTREAM_BACKOFF_SECONDS", (value) =>
      integer(value, { fallback: 300, min: 1, max: 86_400 }),
    ),
  }));
}

/**
 * The webhook settings, or null when webhooks are off: both unset (or empty) means off. A
 * half-configured or invalid setting also turns them off, with an error log line naming the
 * setting, so a webhook typo never breaks the consent flow.
 */
export function webhookSettings(source: ConfigSource): WebhookSettings | null {
  const url = typeof source.WEBHOOK_URL === "string" ? source.WEBHOOK_URL.trim() : "";
  const secret = typeof source.WEBHOOK_SECRET === "string" ? source.WEBHOOK_SECRET.trim() : "";
  if (url === "") return null;
  const settings = section(() => {
    read(source, "WEBHOOK_URL", () => webhookUrl(url));
    if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      throw new SettingError(
        "WEBHOOK_SECRET",
        `missing or shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters`,
      );
    }
    return { url, secret };
  });
  if (settings.ok) return settings.value;
  const failure = settings.failure;
  logEvent("error", "webhook.config_error", {
    setting: failure.code === "config_error" ? failure.setting : undefined,
    reason: failure.reason,
  });
  return null;
}

/**
 * `ADMIN_SECRET`: unset or empty turns the admin API off; a short one is a `config_error` for
 * the admin routes only (the rest of the relay keeps working).
 */
export function adminSettings(source: ConfigSource): Result<AdminSettings | null> {
  if (source.ADMIN_SECRET === undefined || source.ADMIN_SECRET === "") return ok(null);
  return section(() => ({
    secret: read(source, "ADMIN_SECRET", (value) => {
      const secret = text(value);
      if (secret.length < MIN_ADMIN_SECRET_LENGTH) {
        throw new InvalidValue(`shorter than ${MIN_ADMIN_SECRET_LENGTH} characters`);
      }
      return secret;
    }),
  }));
}

class SettingError extends Error {
  constructor(
    readonly setting: SettingName,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Parses one setting by name; a refused value becomes a `SettingError` naming it. */
function read<T>(source: ConfigSource, name: SettingName, parse: (value: unknown) => T): T {
  try {
    return parse(source[name]);
  } catch (error) {
    if (error instanceof InvalidValue) throw new SettingError(name, error.reason);
    throw error;
  }
}

/** Runs a section's parse: the one place a `SettingError` becomes a `config_error` Result. */
function section<T>(parse: () => T): Result<T> {
  try {
    return ok(parse());
  } catch (error) {
    if (error instanceof SettingError) {
      return fail({ code: "config_error", setting: error.setting, reason: error.reason });
    }
    throw error;
  }
}
