import { FailureError } from "../result.ts";

/** How long reads are cached and how the relay backs off Instagram (wrangler vars). */
export interface ReadSettings {
  /** `PROFILE_CACHE_SECONDS`: how long a profile read is served without asking Instagram. */
  profileCacheSeconds: number;
  /** `MEDIA_CACHE_SECONDS`: the same for media pages (also bounded by the URLs' expiry). */
  mediaCacheSeconds: number;
  /** `UPSTREAM_USAGE_THRESHOLD`: usage percent from which the relay stops calling for an account. */
  usageThreshold: number;
  /** `UPSTREAM_BACKOFF_SECONDS`: the pause when Instagram throttles without a regain time. */
  backoffSeconds: number;
}

/** The setting names this file reads. */
export type ReadSettingName =
  | "PROFILE_CACHE_SECONDS"
  | "MEDIA_CACHE_SECONDS"
  | "UPSTREAM_USAGE_THRESHOLD"
  | "UPSTREAM_BACKOFF_SECONDS";

/** Media URLs are signed and expire: a cached page is never served longer than this. */
export const MEDIA_MAX_AGE_SECONDS = 4 * 3600;

const RANGES: Record<ReadSettingName, { fallback: number; min: number; max: number }> = {
  PROFILE_CACHE_SECONDS: { fallback: 300, min: 0, max: 86_400 },
  MEDIA_CACHE_SECONDS: { fallback: 300, min: 0, max: MEDIA_MAX_AGE_SECONDS },
  UPSTREAM_USAGE_THRESHOLD: { fallback: 90, min: 1, max: 100 },
  UPSTREAM_BACKOFF_SECONDS: { fallback: 300, min: 1, max: 86_400 },
};

const cache = new WeakMap<object, ReadSettings>();

/**
 * Validates the read settings once per env object (absent means the default). A bad value
 * throws a `config_error` naming the setting, answered as 500 by `app.onError`.
 * @example
 * const { mediaCacheSeconds } = readSettings(c.env);
 */
export function readSettings(env: object): ReadSettings {
  const known = cache.get(env);
  if (known) return known;
  const source = env as Partial<Record<ReadSettingName, unknown>>;
  const settings: ReadSettings = {
    profileCacheSeconds: integer(source, "PROFILE_CACHE_SECONDS"),
    mediaCacheSeconds: integer(source, "MEDIA_CACHE_SECONDS"),
    usageThreshold: integer(source, "UPSTREAM_USAGE_THRESHOLD"),
    backoffSeconds: integer(source, "UPSTREAM_BACKOFF_SECONDS"),
  };
  cache.set(env, settings);
  return settings;
}

function integer(source: Partial<Record<ReadSettingName, unknown>>, name: ReadSettingName): number {
  const { fallback, min, max } = RANGES[name];
  const raw = source[name];
  if (raw === undefined || raw === "") return fallback;
  const value =
    typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new FailureError({
      code: "config_error",
      setting: name,
      reason: `expected an integer ${min}..${max}`,
    });
  }
  return value;
}
