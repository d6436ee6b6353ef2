import { BASIC_SCOPE, type InstagramScope, isInstagramScope } from "@instagram-connect/types";
import { KeyRing, parseRootKeys } from "./crypto/keys.ts";
import { fail, ok, type Result } from "./result.ts";

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
] as const;

/** The name of one setting. */
export type SettingName = (typeof SETTINGS)[number];

/** Raw settings as bound in the Worker env (unknown until validated). */
export type ConfigSource = Partial<Record<SettingName, unknown>>;

/** The relay's validated configuration. */
export interface RelayConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  allowedOrigins: readonly string[];
  allowedReturnTo: readonly string[];
  /** Scopes a site may ask for; always includes instagram_business_basic. */
  allowedScopes: readonly InstagramScope[];
  keys: KeyRing;
  authorizeUrl: string;
  /** Base URLs without a trailing slash. */
  apiBase: string;
  graphBase: string;
  graphVersion: string;
  upstreamTimeoutMs: number;
}

class SettingError extends Error {
  constructor(
    readonly setting: SettingName,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const cache = new WeakMap<object, RelayConfig>();

/**
 * Validates the env once per env object. A missing or malformed setting is a `config_error`
 * naming the setting and why, never its value.
 */
export function loadConfig(source: ConfigSource): Result<RelayConfig> {
  const cached = cache.get(source);
  if (cached) return ok(cached);
  try {
    const config = parseConfig(source);
    cache.set(source, config);
    return ok(config);
  } catch (error) {
    if (error instanceof SettingError) {
      return fail({ code: "config_error", setting: error.setting, reason: error.reason });
    }
    throw error;
  }
}

function parseConfig(source: ConfigSource): RelayConfig {
  const allowInsecure = flag(source, "ALLOW_INSECURE_INSTAGRAM");
  const keys = parseRootKeys(text(source, "TOKEN_ENCRYPTION_KEYS"));
  if (!keys) throw new SettingError("TOKEN_ENCRYPTION_KEYS", "expected kid:<base64 of 32 bytes>[,...]");
  const clientSecret = text(source, "INSTAGRAM_CLIENT_SECRET");
  if (clientSecret.length < 8) throw new SettingError("INSTAGRAM_CLIENT_SECRET", "too short");
  return {
    clientId: token(source, "INSTAGRAM_CLIENT_ID"),
    clientSecret,
    redirectUri: exactUrl("INSTAGRAM_REDIRECT_URI", text(source, "INSTAGRAM_REDIRECT_URI")),
    allowedOrigins: list(source, "ALLOWED_ORIGINS", false).map((entry) => origin(entry)),
    allowedReturnTo: list(source, "ALLOWED_RETURN_TO", true).map((entry) =>
      exactUrl("ALLOWED_RETURN_TO", entry),
    ),
    allowedScopes: scopes(list(source, "ALLOWED_SCOPES", true)),
    keys: new KeyRing(keys),
    authorizeUrl: instagramUrl(source, "INSTAGRAM_AUTHORIZE_URL", allowInsecure),
    apiBase: instagramUrl(source, "INSTAGRAM_API_BASE", allowInsecure).replace(/\/+$/, ""),
    graphBase: instagramUrl(source, "INSTAGRAM_GRAPH_BASE", allowInsecure).replace(/\/+$/, ""),
    graphVersion: graphVersion(source),
    upstreamTimeoutMs: timeout(source),
  };
}

function text(source: ConfigSource, name: SettingName): string {
  const value = source[name];
  if (typeof value !== "string" || value.trim() === "") throw new SettingError(name, "missing");
  return value.trim();
}

function token(source: ConfigSource, name: SettingName): string {
  const value = text(source, name);
  if (/\s/.test(value)) throw new SettingError(name, "must not contain spaces");
  return value;
}

function flag(source: ConfigSource, name: SettingName): boolean {
  const value = source[name];
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new SettingError(name, "expected true or false");
}

function list(source: ConfigSource, name: SettingName, allowEmpty: boolean): string[] {
  const value = source[name];
  if (value === undefined && allowEmpty) return [];
  if (typeof value !== "string") throw new SettingError(name, "missing");
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0 && !allowEmpty) throw new SettingError(name, "empty list");
  return entries;
}

function origin(entry: string): string {
  const url = parseUrl(entry);
  // The URL parser accepts `*` in hosts; an allowlist entry must name one real host.
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.origin !== entry ||
    !/^[a-z0-9.-]+$/.test(url.hostname)
  ) {
    throw new SettingError(
      "ALLOWED_ORIGINS",
      "each entry must be an exact origin like https://app.example.com",
    );
  }
  return entry;
}

/** URLs compared by exact string must already be in canonical form, or nothing would match. */
function exactUrl(name: SettingName, entry: string): string {
  const url = parseUrl(entry);
  if (!url || !/^https?:$/.test(url.protocol) || url.href !== entry || url.hash !== "") {
    throw new SettingError(name, "must be a canonical absolute http(s) URL without a fragment");
  }
  return entry;
}

function instagramUrl(source: ConfigSource, name: SettingName, allowInsecure: boolean): string {
  const url = parseUrl(text(source, name));
  if (!url) throw new SettingError(name, "not a URL");
  if (url.protocol !== "https:" && !(allowInsecure && url.protocol === "http:")) {
    throw new SettingError(name, "must be https (set ALLOW_INSECURE_INSTAGRAM=true for a local fake)");
  }
  return url.href;
}

function scopes(entries: string[]): InstagramScope[] {
  const result: InstagramScope[] = [BASIC_SCOPE];
  for (const entry of entries) {
    if (!isInstagramScope(entry)) throw new SettingError("ALLOWED_SCOPES", "unknown Instagram scope");
    if (!result.includes(entry)) result.push(entry);
  }
  return result;
}

function graphVersion(source: ConfigSource): string {
  const value = text(source, "INSTAGRAM_GRAPH_VERSION");
  if (!/^v\d+\.\d+$/.test(value)) throw new SettingError("INSTAGRAM_GRAPH_VERSION", "expected like v25.0");
  return value;
}

function timeout(source: ConfigSource): number {
  const value = source.UPSTREAM_TIMEOUT_MS;
  if (value === undefined || value === "") return 10_000;
  const parsed = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= 1 && parsed <= 60_000)) throw new SettingError("UPSTREAM_TIMEOUT_MS", "expected 1..60000");
  return parsed;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
