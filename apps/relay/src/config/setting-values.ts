import { BASIC_SCOPE, type InstagramScope, isInstagramScope } from "@instagram-connect/types";

/**
 * Parsers for setting *values*. They never know a setting's name: `relay-config.ts`, the one
 * module that reads settings by name, catches `InvalidValue` and names the setting in the
 * `config_error`. Reasons describe the expected form, never the value.
 */
export class InvalidValue extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "InvalidValue";
  }
}

/** A trimmed non-empty string. */
export function text(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidValue("missing");
  return value.trim();
}

/** A non-empty string without whitespace (client ids). */
export function token(value: unknown): string {
  const parsed = text(value);
  if (/\s/.test(parsed)) throw new InvalidValue("must not contain spaces");
  return parsed;
}

/** "true" / "false"; absent or empty is false. */
export function flag(value: unknown): boolean {
  if (value === undefined || value === "" || value === "false" || value === false) return false;
  if (value === "true" || value === true) return true;
  throw new InvalidValue("expected true or false");
}

/** A header name (lower-cased), or `none` for null; absent or empty is `cf-connecting-ip`. */
export function headerNameOrNone(value: unknown): string | null {
  if (value === undefined || value === "") return "cf-connecting-ip";
  const name = text(value).toLowerCase();
  if (name === "none") return null;
  if (!/^[a-z0-9-]+$/.test(name)) throw new InvalidValue("expected a header name or none");
  return name;
}

/** The one integer setting parser: absent or empty is `fallback`; otherwise digits within min..max. */
export function integer(value: unknown, range: { fallback: number; min: number; max: number }): number {
  if (value === undefined || value === "") return range.fallback;
  const parsed =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new InvalidValue(`expected an integer ${range.min}..${range.max}`);
  }
  return parsed;
}

/** A comma-separated list of trimmed entries. */
export function list(value: unknown, allowEmpty: boolean): string[] {
  if (value === undefined && allowEmpty) return [];
  if (typeof value !== "string") throw new InvalidValue("missing");
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0 && !allowEmpty) throw new InvalidValue("empty list");
  return entries;
}

/** An exact origin like https://app.example.com (the URL parser accepts `*` in hosts; we do not). */
export function origin(entry: string): string {
  const url = parseUrl(entry);
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.origin !== entry ||
    !/^[a-z0-9.-]+$/.test(url.hostname)
  ) {
    throw new InvalidValue("each entry must be an exact origin like https://app.example.com");
  }
  return entry;
}

/** URLs compared by exact string must already be in canonical form, or nothing would match. */
export function exactUrl(entry: string): string {
  const url = parseUrl(entry);
  if (!url || !/^https?:$/.test(url.protocol) || url.href !== entry || url.hash !== "") {
    throw new InvalidValue("must be a canonical absolute http(s) URL without a fragment");
  }
  return entry;
}

/** An Instagram endpoint: https, or http only when insecure upstreams are allowed (local fake). */
export function instagramUrl(value: unknown, allowInsecure: boolean): string {
  const url = parseUrl(text(value));
  if (!url) throw new InvalidValue("not a URL");
  if (url.protocol !== "https:" && !(allowInsecure && url.protocol === "http:")) {
    throw new InvalidValue("must be https (set ALLOW_INSECURE_INSTAGRAM=true for a local fake)");
  }
  return url.href;
}

/** Allowed scopes; always includes instagram_business_basic. */
export function scopes(entries: string[]): InstagramScope[] {
  const result: InstagramScope[] = [BASIC_SCOPE];
  for (const entry of entries) {
    if (!isInstagramScope(entry)) throw new InvalidValue("unknown Instagram scope");
    if (!result.includes(entry)) result.push(entry);
  }
  return result;
}

/** A Graph API version like v25.0. */
export function graphVersion(value: unknown): string {
  const parsed = text(value);
  if (!/^v\d+\.\d+$/.test(parsed)) throw new InvalidValue("expected like v25.0");
  return parsed;
}

/** A webhook receiver: https (http only for localhost), no credentials in the URL. */
export function webhookUrl(value: string): string {
  const url = parseUrl(value);
  const local = url?.hostname === "localhost" || url?.hostname === "127.0.0.1";
  if (
    !url ||
    url.username ||
    url.password ||
    !(url.protocol === "https:" || (url.protocol === "http:" && local))
  ) {
    throw new InvalidValue("must be an https URL (http only for localhost)");
  }
  return value;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
