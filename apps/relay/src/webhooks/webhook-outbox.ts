import { DurableObject } from "cloudflare:workers";
import type { WebhookEvent } from "@instagram-connect/types";
import { webhookSettings } from "../config/relay-config.ts";
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

const ENTRY_PREFIX = "event:";

/**
 * A durable webhook outbox, one object per connection (`getByName(connectionId)`), so events of
 * one connection leave in order and no object is a global bottleneck. `enqueue` stores the
 * event and arms an alarm; the alarm delivers, and failures are retried from later alarms with
 * exponential backoff until `WEBHOOK_MAX_ATTEMPTS`, then dropped with an error log line.
 * Alarms are retried by the runtime if the object dies mid-delivery, so nothing stored is lost. Delivery is at least once: receivers dedupe on the event id.
 */
export class WebhookOutbox extends DurableObject<Env> {
  readonly #inFlight = new Set<string>();

  /**
   * Stores the event and arms an immediate alarm that delivers it: the caller (a consent
   * callback, a disconnect) never waits for the app's receiver.
   */
  async enqueue(event: WebhookEvent): Promise<void> {
    const entry: OutboxEntry = { event, failures: 0, nextAttemptAt: now() };
    this.ctx.storage.kv.put(`${ENTRY_PREFIX}${event.id}`, entry);
    await this.ctx.storage.setAlarm(Date.now());
  }

  /** Events still waiting for delivery (tests and operators). */
  async pending(): Promise<OutboxEntry[]> {
    return this.#entries();
  }

  override async alarm(): Promise<void> {
    await this.#deliverDue();
  }

  async #deliverDue(): Promise<void> {
    const config = webhookSettings(bindings(this.env, "WebhookOutbox"));
    for (const entry of this.#entries()) {
      if (entry.nextAttemptAt > now() || this.#inFlight.has(entry.event.id)) continue;
      const key = `${ENTRY_PREFIX}${entry.event.id}`;
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
      } else if (entry.failures + 1 >= WEBHOOK_MAX_ATTEMPTS) {
        this.ctx.storage.kv.delete(key);
        logEvent("error", "webhook.dropped", { ...fields, reason: outcome.reason });
      } else {
        const failures = entry.failures + 1;
        this.ctx.storage.kv.put(key, {
          ...entry,
          failures,
          nextAttemptAt: now() + webhookRetryDelayMs(failures),
        });
        logEvent("warn", "webhook.retry_scheduled", { ...fields, reason: outcome.reason });
      }
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
    const soonest = Math.min(...entries.map((entry) => entry.nextAttemptAt));
    await this.ctx.storage.setAlarm(Date.now() + Math.max(1000, soonest - now()));
  }

  #entries(): OutboxEntry[] {
    const entries: OutboxEntry[] = [];
    for (const [, value] of this.ctx.storage.kv.list<OutboxEntry>({ prefix: ENTRY_PREFIX }))
      entries.push(value);
    return entries.sort((a, b) => a.event.createdAt.localeCompare(b.event.createdAt));
  }
}
