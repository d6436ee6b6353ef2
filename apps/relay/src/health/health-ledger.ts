import { DurableObject } from "cloudflare:workers";
import type { HealthDeadLetter, HealthReauth, HealthRefreshFailure } from "@instagram-connect/types";

/** Outbox names of API keys' `security.anomaly` alerts: this, then the key id (usage-counter.ts). */
export const API_KEY_OUTBOX_PREFIX = "apikey:";

/** A change the ledger keeps track of, reported where it happens (lifecycle events, the outbox). */
export type HealthTransition =
  | { kind: "refresh_failed"; connectionId: string; failures: number; reason: string; at: number }
  | { kind: "refresh_recovered"; connectionId: string }
  | { kind: "reauth_required"; connectionId: string; reason: string; at: number }
  | { kind: "connection_gone_or_reconnected"; connectionId: string }
  | { kind: "dead_lettered"; outbox: string; eventId: string; type: string; at: number }
  | { kind: "dead_letter_cleared"; outbox: string; eventId: string }
  | { kind: "dead_letters_purged"; outbox: string };

/** The ledger's figures: exact counts and up to `limit` entries of each list (key order). */
export interface HealthSummary {
  refreshFailures: { count: number; items: HealthRefreshFailure[] };
  reauthRequired: { count: number; items: HealthReauth[] };
  deadLetters: { count: number; items: HealthDeadLetter[] };
}

type CountName = "failing" | "reauth" | "dead";
interface FailingRow {
  failures: number;
  reason: string;
  at: number;
}
interface ReauthRow {
  reason: string;
  at: number;
}
interface DeadRow {
  type: string;
  at: number;
}

/** The one ledger object's name. */
export const HEALTH_LEDGER_NAME = "relay";

/**
 * The relay's health figures, kept on each transition rather than found by scanning: a
 * connection enters `failing:` on a transient refresh failure and leaves on the next success,
 * reconnect or removal; `reauth:` from reauth marking until a reconnect or removal; `dead:` from
 * a webhook's last failed attempt until its replay or purge. A count per list is kept beside it,
 * so `summary` is one object call with bounded work however many connections exist. One object
 * for the whole relay: it is written only on these (rare) transitions, never per request.
 * @example
 * const figures = await env.HEALTH_LEDGER.getByName(HEALTH_LEDGER_NAME).summary(10);
 */
export class HealthLedger extends DurableObject<Env> {
  /** Applies one transition; repeating one is harmless (alarms and retries may report twice). */
  apply(transition: HealthTransition): void {
    switch (transition.kind) {
      case "refresh_failed": {
        const { failures, reason, at } = transition;
        this.#put("failing", `failing:${transition.connectionId}`, { failures, reason, at });
        return;
      }
      case "refresh_recovered":
        this.#delete("failing", `failing:${transition.connectionId}`);
        return;
      case "reauth_required":
        this.#delete("failing", `failing:${transition.connectionId}`);
        this.#put("reauth", `reauth:${transition.connectionId}`, {
          reason: transition.reason,
          at: transition.at,
        });
        return;
      case "connection_gone_or_reconnected":
        this.#delete("failing", `failing:${transition.connectionId}`);
        this.#delete("reauth", `reauth:${transition.connectionId}`);
        return;
      case "dead_lettered":
        this.#put("dead", `dead:${transition.outbox}|${transition.eventId}`, {
          type: transition.type,
          at: transition.at,
        });
        return;
      case "dead_letter_cleared":
        this.#delete("dead", `dead:${transition.outbox}|${transition.eventId}`);
        return;
      case "dead_letters_purged":
        for (const [key] of this.ctx.storage.kv.list({ prefix: `dead:${transition.outbox}|` })) {
          this.#delete("dead", key);
        }
        return;
    }
  }

  /** Exact counts and the first `limit` entries of each list. */
  summary(limit: number): HealthSummary {
    return {
      refreshFailures: {
        count: this.#count("failing"),
        items: this.#rows<FailingRow>("failing:", limit).map(([id, row]) => ({
          connectionId: id,
          failures: row.failures,
          reason: row.reason,
          at: iso(row.at),
        })),
      },
      reauthRequired: {
        count: this.#count("reauth"),
        items: this.#rows<ReauthRow>("reauth:", limit).map(([id, row]) => ({
          connectionId: id,
          reason: row.reason,
          at: iso(row.at),
        })),
      },
      deadLetters: {
        count: this.#count("dead"),
        items: this.#rows<DeadRow>("dead:", limit).map(([id, row]) => {
          const [outbox = "", eventId = ""] = id.split("|");
          const connectionId = outbox.startsWith("conn_") ? outbox : null;
          const keyId = outbox.startsWith(API_KEY_OUTBOX_PREFIX)
            ? outbox.slice(API_KEY_OUTBOX_PREFIX.length)
            : null;
          return { connectionId, keyId, eventId, type: row.type, at: iso(row.at) };
        }),
      },
    };
  }

  #rows<T>(prefix: string, limit: number): [string, T][] {
    return [...this.ctx.storage.kv.list<T>({ prefix, limit })].map(([key, row]) => [
      key.slice(prefix.length),
      row,
    ]);
  }

  #count(name: CountName): number {
    return this.ctx.storage.kv.get<number>(`count:${name}`) ?? 0;
  }

  #put(name: CountName, key: string, row: FailingRow | ReauthRow | DeadRow): void {
    if (this.ctx.storage.kv.get(key) === undefined) {
      this.ctx.storage.kv.put(`count:${name}`, this.#count(name) + 1);
    }
    this.ctx.storage.kv.put(key, row);
  }

  #delete(name: CountName, key: string): void {
    if (this.ctx.storage.kv.get(key) === undefined) return;
    this.ctx.storage.kv.delete(key);
    this.ctx.storage.kv.put(`count:${name}`, Math.max(0, this.#count(name) - 1));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
