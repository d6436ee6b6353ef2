import { fail, ok, type Result } from "../result.ts";

/** Lifecycle settings read from wrangler vars (none is secret). */
export interface LifecycleSettings {
  /** A token is refreshed once it expires within this many ms (REFRESH_WINDOW_DAYS, default 7). */
  refreshWindowMs: number;
  /** A signed_request older than this is refused (META_SIGNED_REQUEST_MAX_AGE_SECONDS, default 3600). */
  signedRequestMaxAgeMs: number;
}

const DAY_MS = 86_400_000;
const cache = new WeakMap<object, LifecycleSettings>();

/**
 * Validates the lifecycle vars once per env object. A malformed value is a `config_error`
 * naming the setting (the values are not secret, but the error still leaves them out).
 *
 * @example
 * const settings = unwrap(lifecycleSettings(env));
 */
export function lifecycleSettings(env: object): Result<LifecycleSettings> {
  const cached = cache.get(env);
  if (cached) return ok(cached);
  const source = env as Record<string, unknown>;
  const windowDays = integer(source.REFRESH_WINDOW_DAYS, 7, 1, 50);
  if (windowDays === null) {
    return fail({ code: "config_error", setting: "REFRESH_WINDOW_DAYS", reason: "expected 1..50" });
  }
  const maxAge = integer(source.META_SIGNED_REQUEST_MAX_AGE_SECONDS, 3600, 60, 86_400);
  if (maxAge === null) {
    return fail({
      code: "config_error",
      setting: "META_SIGNED_REQUEST_MAX_AGE_SECONDS",
      reason: "expected 60..86400",
    });
  }
  const settings = { refreshWindowMs: windowDays * DAY_MS, signedRequestMaxAgeMs: maxAge * 1000 };
  cache.set(env, settings);
  return ok(settings);
}

function integer(value: unknown, fallback: number, min: number, max: number): number | null {
  if (value === undefined || value === "") return fallback;
  const parsed = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  return typeof parsed === "number" && Number.isInteger(parsed) && parsed >= min && parsed <= max
    ? parsed
    : null;
}
