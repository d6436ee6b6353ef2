import { DurableObject } from "cloudflare:workers";
import type { WebhookEvent } from "@instagram-connect/types";
import { webhookSettings } from "../config/relay-config.ts";
import { noteHealth } from "../health/health-notes.ts";
import { logEvent } from "../log.ts";
import { bindings, now } from "../runtime.ts";
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from "./webhook-backoff.ts";
import { deliverWebhook } from "./webhook-delivery.ts";

/** One pending delivery, stored at `event:<id>` in the object's storage. */
export interface OutboxEntry {
  event: WebhookEvent;
  /** Failed attempts so far. */
  failures: number;
  /** Relay-clock epoch ms of the next attempt. */
  nextAttemptAt: number;
}

/** An event that failed `WEBHOOK_MAX_ATTEMPTS` times, kept at `dead:<id>` until replayed or purged. */
export interface DeadLetter {
  event: WebhookEvent;
  failures: number;
  /** Why the last attempt failed (`http_500`, `network:TypeError`). */
  lastReason: string;
  /** Relay-clock epoch ms. */
  deadAt: number;
}

const ENTRY_PREFIX = "event:";
const DEAD_PREFIX = "dead:";

/**
 * A durable webhook outbox, one object per connection (`getByName(connectionId)`), so events of
 * one connection leave in order and no object is a global bottleneck. `enqueue` stores the
 * event and arms an alarm; the alarm delivers in creation order and stops at the first event
 * that fails: a later event of the connection never overtakes one waiting for its retry.
 * Failures back off exponentially until `WEBHOOK_MAX_ATTEMPTS`; then the event moves to the
 * dead-letter store (`dead:<id>`, read and replayed through the app API) and the next one goes.
 * Alarms are retried by the runtime if the object dies mid-delivery, so nothing stored is lost.
 * Delivery is at least once with stable event ids: receivers dedupe on the id.
 */
export class WebhookOutbox extends DurableObject<Env> {
  readonly #inFlight = new Set<string>();

  /**
   * Stores the event and arms an immediate alarm that delivers it: the caller (a consent
   * callback, a disconnect) never waits for the app's receiver.
   */
  async enqueue(event: WebhookEvent): Promise<void> {
    const entry: OutboxEntry = { event, failures: 0, nextAttemptAt: now() };
    this.ctx.storage.kv.put(`${ENTRY_PREFIX}${this.#nextSequence()}:${event.id}`, entry);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Events still waiting for delivery, oldest first (tests and operators). */
  async pending(): Promise<OutboxEntry[]> {
    return this.#entries().map(([, entry]) => entry);
  }

  /** Events that exhausted their attempts, oldest first. */
  deadLetters(): DeadLetter[] {
    return [...this.ctx.storage.kv.list<DeadLetter>({ prefix: DEAD_PREFIX })]
      .map(([, letter]) => letter)
      .sort((a, b) => a.deadAt - b.deadAt);
  }

  /** Queues a dead letter again (same event id, fresh attempts); false when there is none. */
  async replay(eventId: string): Promise<boolean> {
    const letter = this.ctx.storage.kv.get<DeadLetter>(`${DEAD_PREFIX}${eventId}`);
    if (!letter) return false;
    this.ctx.storage.kv.delete(`${DEAD_PREFIX}${eventId}`);
    await this.enqueue(letter.event);
    logEvent("info", "webhook.replayed", { eventId });
    await noteHealth(this.#env, { kind: "dead_letter_cleared", outbox: this.#name, eventId });
    return true;
  }

  /** Deletes every dead letter (Meta data deletion: they may name the account). */
  async purgeDeadLetters(): Promise<number> {
    let deleted = 0;
    for (const [key] of this.ctx.storage.kv.list({ prefix: DEAD_PREFIX })) {
      this.ctx.storage.kv.delete(key);
      deleted++;
    }
    if (deleted > 0) await noteHealth(this.#env, { kind: "dead_letters_purged", outbox: this.#name });
    return deleted;
  }

  override async alarm(): Promise<void> {
    await this.#deliverDue();
  }

  get #env(): Env {
    return bindings(this.env, "WebhookOutbox");
  }

  /** The outbox's name: the connection id, or `apikey:<keyId>` for an API key's anomaly alerts. */
  get #name(): string {
    return this.ctx.id.name ?? "unknown";
  }

  async #deliverDue(): Promise<void> {
    const config = webhookSettings(bindings(this.env, "WebhookOutbox"));
    for (const [key, entry] of this.#entries()) {
      // In order: the first event not yet due (waiting for its retry) holds back the later ones.
      if (entry.nextAttemptAt > now() || this.#inFlight.has(entry.event.id)) break;
      if (!config) {
        this.ctx.storage.kv.delete(key);
        logEvent("warn", "webhook.dropped", { eventId: entry.event.id, reason: "webhooks_disabled" });
        continue;
      }
      this.#inFlight.add(entry.event.id);
      const outcome = await deliverWebhook(config, entry.event).finally(() =>
        this.#inFlight.delete(entry.event.id),
      );
      const fields = { eventId: entry.event.id, type: entry.event.type, attempt: entry.failures + 1 };
      if (outcome.ok) {
        this.ctx.storage.kv.delete(key);
        logEvent("info", "webhook.delivered", fields);
        continue;
      }
      const failures = entry.failures + 1;
      if (failures >= WEBHOOK_MAX_ATTEMPTS) {
        const letter: DeadLetter = {
          event: entry.event,
          failures,
          lastReason: outcome.reason,
          deadAt: now(),
        };
        this.ctx.storage.kv.put(`${DEAD_PREFIX}${entry.event.id}`, letter);
        this.ctx.storage.kv.delete(key);
        logEvent("error", "webhook.dead_lettered", { ...fields, reason: outcome.reason });
        await noteHealth(this.#env, {
          kind: "dead_lettered",
          outbox: this.#name,
          eventId: entry.event.id,
          type: entry.event.type,
          at: letter.deadAt,
        });
        continue;
      }
      this.ctx.storage.kv.put(key, {
        ...entry,
        failures,
        nextAttemptAt: now() + webhookRetryDelayMs(failures),
      });
      logEvent("warn", "webhook.retry_scheduled", { ...fields, reason: outcome.reason });
      break;
    }
    await this.#scheduleNext();
  }

  // Alarms run on the real clock while `nextAttemptAt` is on the relay clock (tests move it):
  // schedule by the remaining duration and re-check against the relay clock when it fires.
  async #scheduleNext(): Promise<void> {
    const entries = this.#entries();
    if (entries.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    // Only the head can go next (order), so its time is the next alarm.
    const soonest = (entries[0] as [string, OutboxEntry])[1].nextAttemptAt;
    await this.ctx.storage.setAlarm(Date.now() + Math.max(1000, soonest - now()));
  }

  /** Pending entries in enqueue order (keys carry a zero-padded sequence). */
  #entries(): [string, OutboxEntry][] {
    return [...this.ctx.storage.kv.list<OutboxEntry>({ prefix: ENTRY_PREFIX })];
  }

  #nextSequence(): string {
    const next = (this.ctx.storage.kv.get<number>("sequence") ?? 0) + 1;
    this.ctx.storage.kv.put("sequence", next);
    return String(next).padStart(12, "0");
  }
}
