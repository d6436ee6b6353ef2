/** Fields of one structured log line: ids, codes and reasons only, never a token or secret. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const REDACTED = "[redacted]";
// Query parameters whose value is a secret whatever it looks like (OAuth, Meta, API keys).
const SECRET_PARAM =
  /([?&;](?:code|state|access_token|refresh_token|id_token|token|client_secret|secret|signed_request|api_?key|key|password|verifier|challenge|credential|signature|hub\.verify_token)=)[^&#\s"]*/gi;
// Our own credential formats keep their public id: API keys `key_<id>.<secret>`, widget
// credentials `conn_<id>.<secret>`, session tokens `ics_<id>.<secret>` and hosted connect links
// `icl_<id>.<secret>` (the one secret that travels in a URL path: /v1/connect/icl_...).
const ID_DOT_SECRET = /\b((?:key|conn|ics|icl)_[A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{20,}/g;
// Anything else that looks like a token: 32+ characters of base64url / JWT alphabet mixing cases or
// digits (so long snake_case reasons survive). Ids the logs need (conn_ ids, attempt and flow ids
// of 22 characters, numeric Instagram ids) stay shorter.
const LONG_TOKEN = /[A-Za-z0-9_-]{32,}(?:\.[A-Za-z0-9_-]+)*/g;

/**
 * The one redaction applied to every logged string (request lines included): secret-named query
 * parameters, our credential formats and anything token-shaped become `[redacted]`.
 * @example
 * redactSecrets("/v1/oauth/callback?code=AQB...&state=x") // "/v1/oauth/callback?code=[redacted]&state=[redacted]"
 */
export function redactSecrets(text: string): string {
  return text
    .replace(SECRET_PARAM, `$1${REDACTED}`)
    .replace(ID_DOT_SECRET, `$1.${REDACTED}`)
    .replace(LONG_TOKEN, (run) => (/[A-Z0-9]/.test(run) ? REDACTED : run));
}

/** Writes one JSON log line (Workers Logs indexes the fields); string fields are redacted. */
export function logEvent(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const safe: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    safe[name] = typeof value === "string" ? redactSecrets(value) : value;
  }
  const line = JSON.stringify({ level, event, ...safe });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
