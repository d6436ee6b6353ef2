import { FailureError } from "../result.ts";

/**
 * `API_TOKEN_EXPORT` ("true" or "false", default false): whether `GET .../token` may hand a
 * connection's access token to a key with `token:read`. Both are required. A value other than
 * true/false is a config_error naming the setting.
 */
export function tokenExportEnabled(env: { API_TOKEN_EXPORT?: unknown }): boolean {
  const value = env.API_TOKEN_EXPORT;
  if (value === undefined || value === "" || value === "false" || value === false) return false;
  if (value === "true" || value === true) return true;
  throw new FailureError({
    code: "config_error",
    setting: "API_TOKEN_EXPORT",
    reason: "expected true or false",
  });
}
