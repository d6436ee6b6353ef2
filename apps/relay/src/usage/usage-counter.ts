import { DurableObject } from "cloudflare:workers";
import type {
  SecurityAnomaly,
  UsageBucket,
  UsageCount,
  UsageResponse,
  UsageSource,
  UsageSubjectType,
  UsageWindow,
  WebhookEventData,
} from "@instagram-connect/types";
import { relayConfig } from "../config/relay-config.ts";
import { API_KEY_OUTBOX_PREFIX } from "../health/health-ledger.ts";
import { logEvent } from "../log.ts";
import { bindings, now } from "../runtime.ts";
import { emitWebhook } from "../webhooks/emit-webhook.ts";
import { HOUR_MS, hourOf, newCountries, rateJump } from "./anomaly.ts";

/** Whose requests a counter object holds. */
export interface UsageSubject {
  type: UsageSubjectType;
  id: string;
}

/** Requests of one subject, hour and source, as one isolate batched them. */
export interface UsageEntry {
  hour: number;
  source: UsageSource;
  requests: number;
  errors: number;
  /** Countries of these requests (`request.cf.country`), without repeats. */
  countries: string[];
}

/** Hourly buckets kept (and at least one more than the longest baseline). */
export const USAGE_HOURS_KEPT = 48;
/** Daily buckets kept. */
export const USAGE_DAYS_KEPT = 35;
/** Countries remembered per subject; beyond this, new ones are still alerted on but not stored. */
const MAX_COUNTRIES = 64;

type Counts = Partial<Record<UsageSource, UsageCount>>;

interface CounterMeta {
  firstHour: number;
  countries: string[];
  /** Hour of the last alert per kind: one alert per subject, kind and hour. */
  alerted: Partial<Record<SecurityAnomaly["kind"], number>>;
}

/**
 * One object per counted subject (`usage:<api_key|connection>:<id>`): hourly and daily request
 * and error counts per source, the countries its watched traffic came from, and the
 * `security.anomaly` check. Isolates batch their counts and call `record` off the response path
 * (usage-recorder.ts), so a request never waits for this object. Watched traffic: an API key's
 * own requests; a connection's widget requests (its credential), not the app's server calls on it.
 * @example
 * await env.USAGE_COUNTERS.getByName(usageCounterName(subject)).record(subject, entries);
 */
export class UsageCounter extends DurableObject<Env> {
  /** Adds one batch, then checks the subject's watched traffic for a rate jump or a new country. */
  async record(subject: UsageSubject, entries: UsageEntry[]): Promise<void> {
    const meta = this.ctx.storage.kv.get<CounterMeta>("meta") ?? {
      firstHour: Number.POSITIVE_INFINITY,
      countries: [],
      alerted: {},
    };
    let hour = 0;
    for (const entry of entries) {
      this.#add(`h:${pad(entry.hour)}`, entry);
      this.#add(`d:${pad(Math.floor(entry.hour / 24))}`, entry);
      meta.firstHour = Math.min(meta.firstHour, entry.hour);
      hour = Math.max(hour, entry.hour);
    }
    const anomalies = this.#check(subject, entries, meta, hour);
    this.ctx.storage.kv.put("meta", meta);
    this.#prune(hour);
    for (const anomaly of anomalies) await this.#announce(subject, anomaly);
  }

  /** The subject's buckets (hourly for 48 h or daily for 35 days), oldest first. */
  report(subject: UsageSubject, window: UsageWindow): UsageResponse {
    const prefix = window === "hour" ? "h:" : "d:";
    const unitMs = window === "hour" ? HOUR_MS : 24 * HOUR_MS;
    const items: UsageBucket[] = [];
    const totals: UsageCount = { requests: 0, errors: 0 };
    for (const [key, counts] of this.ctx.storage.kv.list<Counts>({ prefix })) {
      const sum = sumOf(counts);
      items.push({ start: new Date(Number(key.slice(2)) * unitMs).toISOString(), ...sum, bySource: counts });
      totals.requests += sum.requests;
      totals.errors += sum.errors;
    }
    const countries = this.ctx.storage.kv.get<CounterMeta>("meta")?.countries ?? [];
    return { subject, window, items, totals, countries };
  }

  /** Deletes everything counted (the connection's removal: countries are about its user). */
  async purge(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  #add(key: string, entry: UsageEntry): void {
    const counts = this.ctx.storage.kv.get<Counts>(key) ?? {};
    const current = counts[entry.source] ?? { requests: 0, errors: 0 };
    counts[entry.source] = {
      requests: current.requests + entry.requests,
      errors: current.errors + entry.errors,
    };
    this.ctx.storage.kv.put(key, counts);
  }

  #check(subject: UsageSubject, entries: UsageEntry[], meta: CounterMeta, hour: number): SecurityAnomaly[] {
    const watched = subject.type === "api_key" ? "api" : "widget";
    const mine = entries.filter((entry) => entry.source === watched);
    if (mine.length === 0) return [];
    const settings = relayConfig(bindings(this.env, "UsageCounter")).monitoring;
    const seen = mine.flatMap((entry) => entry.countries);
    const known = meta.countries;
    if (!settings.ok) {
      meta.countries = remember(known, seen);
      return [];
    }
    const anomalies: SecurityAnomaly[] = [];
    const windowStart = new Date(hour * HOUR_MS).toISOString();
    const requestsIn = (at: number) =>
      this.ctx.storage.kv.get<Counts>(`h:${pad(at)}`)?.[watched]?.requests ?? 0;
    const requests = requestsIn(hour);
    const baseline = rateJump({ hour, requests, firstHour: meta.firstHour, requestsIn }, settings.value);
    if (baseline !== null && meta.alerted.rate_jump !== hour) {
      meta.alerted.rate_jump = hour;
      anomalies.push({ kind: "rate_jump", subject, windowStart, requests, baselinePerHour: baseline });
    }
    const fresh = settings.value.newCountry ? newCountries(known, seen) : [];
    if (fresh.length > 0 && meta.alerted.new_country !== hour) {
      meta.alerted.new_country = hour;
      anomalies.push({
        kind: "new_country",
        subject,
        windowStart,
        newCountries: fresh,
        knownCountries: known,
      });
      meta.countries = remember(known, seen);
    } else {
      // A new country seen after this hour's alert stays unknown, so it alerts in a later hour.
      meta.countries = remember(
        known,
        seen.filter((country) => known.length === 0 || !fresh.includes(country)),
      );
    }
    return anomalies;
  }

  async #announce(subject: UsageSubject, anomaly: SecurityAnomaly): Promise<void> {
    logEvent("warn", "security.anomaly", {
      kind: anomaly.kind,
      subjectType: subject.type,
      subjectId: subject.id,
      requests: anomaly.requests,
      countries: anomaly.newCountries?.join(","),
    });
    const data: WebhookEventData = { anomaly };
    if (subject.type === "connection") data.connectionId = subject.id;
    await emitWebhook(bindings(this.env, "UsageCounter"), "security.anomaly", data, anomalyOutbox(subject));
  }

  #prune(hour: number): void {
    const drop = (prefix: string, before: number) => {
      for (const [key] of this.ctx.storage.kv.list({ prefix, end: `${prefix}${pad(before)}` })) {
        this.ctx.storage.kv.delete(key);
      }
    };
    drop("h:", hour - USAGE_HOURS_KEPT + 1);
    drop("d:", Math.floor(hour / 24) - USAGE_DAYS_KEPT + 1);
  }
}

/** The counter object's name for a subject. Ids are public (`key_…`, `conn_…`), never secrets (S22). */
export function usageCounterName(subject: UsageSubject): string {
  return `usage:${subject.type}:${subject.id}`;
}

/**
 * Where a subject's anomaly webhooks queue: the connection's own outbox (in order with its other
 * events), or one outbox per API key (`apikey:<keyId>`).
 */
export function anomalyOutbox(subject: UsageSubject): string {
  return subject.type === "connection" ? subject.id : `${API_KEY_OUTBOX_PREFIX}${subject.id}`;
}

/** The relay-clock hour now (for callers batching requests). */
export function currentHour(): number {
  return hourOf(now());
}

function sumOf(counts: Counts): UsageCount {
  let requests = 0;
  let errors = 0;
  for (const count of Object.values(counts)) {
    requests += count.requests;
    errors += count.errors;
  }
  return { requests, errors };
}

function remember(known: readonly string[], seen: readonly string[]): string[] {
  const next = [...known];
  for (const country of seen) if (!next.includes(country) && next.length < MAX_COUNTRIES) next.push(country);
  return next;
}

function pad(value: number): string {
  return String(value).padStart(9, "0");
}
