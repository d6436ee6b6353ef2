/**
 * Monitoring as seen by apps: usage counters per API key and per connection, the app-API health
 * report, and the `security.anomaly` webhook's payload (API.md "Monitoring").
 */

/** Whose usage a counter holds: an API key (its server's calls) or a connection (widget and API calls on it). */
export type UsageSubjectType = "api_key" | "connection";

/** Where a counted request came from: the app API (an API key) or the widget (a connection credential). */
export type UsageSource = "api" | "widget";

/** Granularity of a usage report: hourly buckets (last 48 h) or daily buckets (last 35 days). */
export type UsageWindow = "hour" | "day";

/** Requests and errors (answers with status >= 400) in one bucket. */
export interface UsageCount {
  requests: number;
  errors: number;
}

/** One bucket of a usage report; `start` is the UTC start of the hour or day. */
export interface UsageBucket extends UsageCount {
  start: string;
  /** The same counts split by where the requests came from (sources with no traffic are left out). */
  bySource: Partial<Record<UsageSource, UsageCount>>;
}

/**
 * Response of `GET /v1/api/usage` (an API key) and `GET /v1/api/connections/:id/usage`.
 * Counters are best effort: batched per isolate and written off the response path, so they may
 * lag by a few seconds and undercount when a write fails (never overcount).
 */
export interface UsageResponse {
  subject: { type: UsageSubjectType; id: string };
  window: UsageWindow;
  /** Oldest first; buckets without traffic are left out. */
  items: UsageBucket[];
  /** Sum over `items`. */
  totals: UsageCount;
  /** Countries (ISO 3166 alpha-2, from Cloudflare) the subject's anomaly-watched traffic came from. */
  countries: string[];
}

/** A connection whose scheduled refresh failed transiently and is being retried. */
export interface HealthRefreshFailure {
  connectionId: string;
  /** Failures in a row so far. */
  failures: number;
  /** The last failure's classified code (`upstream_unavailable`, `upstream_timeout`, ...). */
  reason: string;
  at: string;
}

/** A connection waiting for its user to connect again (token invalid, expired or revoked). */
export interface HealthReauth {
  connectionId: string;
  reason: string;
  at: string;
}

/** A webhook event that exhausted its delivery attempts (replay it through the dead-letter routes). */
export interface HealthDeadLetter {
  /** The connection whose outbox holds it; null for an API key's `security.anomaly`. */
  connectionId: string | null;
  /** The API key whose outbox holds it (its `security.anomaly` alerts; replay with the key routes); null for a connection's. */
  keyId: string | null;
  eventId: string;
  type: string;
  at: string;
}

/** One Instagram account's upstream budget as the relay spends it (the `upstream` rate-limit family). */
export interface HealthAccountBudget {
  connectionId: string;
  instagramUserId: string;
  /** Calls the relay may still make for this account right now. */
  remaining: number;
  limit: number;
  windowSeconds: number;
  /** Set while Instagram asked the relay to back off this account (ISO 8601). */
  pausedUntil: string | null;
}

/**
 * Response of `GET /v1/api/health`. The counts and lists come from a ledger kept on each
 * transition (a refresh failing or recovering, a reauth, a dead letter), so they are exact and
 * cost one Durable Object read; each list holds at most `limit` entries (oldest first).
 * `budgets` covers one page of connections (`cursor` -> `budgets.nextCursor`).
 */
export interface ApiHealthResponse {
  refreshFailures: { count: number; items: HealthRefreshFailure[] };
  reauthRequired: { count: number; items: HealthReauth[] };
  deadLetters: { count: number; items: HealthDeadLetter[] };
  budgets: { items: HealthAccountBudget[]; nextCursor: string | null };
}

/** What a `security.anomaly` webhook says happened. */
export interface SecurityAnomaly {
  /** `rate_jump`: this hour's requests far above the subject's own baseline; `new_country`: a country never seen before. */
  kind: "rate_jump" | "new_country";
  subject: { type: UsageSubjectType; id: string };
  /** The UTC hour the alert is about (one alert per subject, kind and hour). */
  windowStart: string;
  /** rate_jump: requests so far this hour and the baseline per hour it is compared with. */
  requests?: number;
  baselinePerHour?: number;
  /** new_country: the countries never seen before (ISO 3166 alpha-2) and the ones seen earlier. */
  newCountries?: string[];
  knownCountries?: string[];
}
