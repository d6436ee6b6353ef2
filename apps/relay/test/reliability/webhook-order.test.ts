import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  WEBHOOK_HEADERS,
  type WebhookDeadLettersResponse,
  type WebhookEvent,
} from "@instagram-connect/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomToken } from "../../src/crypto/base64url.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { emitWebhook } from "../../src/webhooks/emit-webhook.ts";
import { WEBHOOK_MAX_ATTEMPTS } from "../../src/webhooks/webhook-backoff.ts";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";

let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const HOUR = 3_600_000;
beforeEach(() => {
  webhookReceiver.reset();
  setClockForTests(() => clock);
});
afterEach(() => setClockForTests(null));

const outbox = (connectionId: string) => env.WEBHOOK_OUTBOX.getByName(connectionId);

/** Ids of the deliveries of one connection, in arrival order. */
function arrivals(connectionId: string): string[] {
  return webhookReceiver.deliveries
    .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
    .filter((event) => event.data.connectionId === connectionId)
    .map((event) => event.id);
}

async function emit(connectionId: string, type: WebhookEvent["type"]): Promise<WebhookEvent> {
  const event = await emitWebhook(env, type, { connectionId });
  if (!event) throw new Error("webhooks should be on in tests");
  return event;
}

describe("webhook order and dead letters", () => {
  it("an event waiting for its retry is not overtaken by a newer event of the same connection", async () => {
    const connectionId = `conn_${randomToken(16)}`;
    webhookReceiver.answers.push(503);
    const deleted = await emit(connectionId, "connection.deleted");
    await vi.waitFor(() => expect(arrivals(connectionId)).toHaveLength(1), { timeout: 10_000 });
    const created = await emit(connectionId, "connection.created");
    await runDurableObjectAlarm(outbox(connectionId));
    expect(arrivals(connectionId)).toEqual([deleted.id]);
    clock += HOUR;
    await runDurableObjectAlarm(outbox(connectionId));
    expect(arrivals(connectionId)).toEqual([deleted.id, deleted.id, created.id]);
  });

  it("a dead letter is listed and replayed through the app API with its stable event id", async () => {
    const connectionId = `conn_${randomToken(16)}`;
    webhookReceiver.answers.push(...Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, () => 500));
    const event = await emit(connectionId, "connection.refreshed");
    await vi.waitFor(() => expect(arrivals(connectionId)).toHaveLength(1), { timeout: 10_000 });
    for (let attempt = 2; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      clock += 12 * HOUR;
      await runDurableObjectAlarm(outbox(connectionId));
    }
    expect(await outbox(connectionId).pending()).toEqual([]);
    const apiKey = await newApiKey(["webhooks:manage"]);
    const base = `/v1/api/connections/${connectionId}/webhooks/dead-letters`;
    const listed = await apiFetch(base, apiKey);
    expect(listed.status).toBe(200);
    expect(listed.json<WebhookDeadLettersResponse>().items).toMatchObject([
      { event, failures: WEBHOOK_MAX_ATTEMPTS, lastReason: "http_500" },
    ]);
    const replayed = await apiFetch(`${base}/${event.id}/replay`, apiKey, { method: "POST" });
    expect(replayed.status).toBe(200);
    expect(replayed.json()).toEqual({ replayed: true, eventId: event.id });
    await vi.waitFor(() => expect(arrivals(connectionId)).toHaveLength(WEBHOOK_MAX_ATTEMPTS + 1), {
      timeout: 10_000,
    });
    expect(webhookReceiver.deliveries.at(-1)?.headers.get(WEBHOOK_HEADERS.id)).toBe(event.id);
    expect((await apiFetch(base, apiKey)).json<WebhookDeadLettersResponse>().items).toEqual([]);
    const again = await apiFetch(`${base}/${event.id}/replay`, apiKey, { method: "POST" });
    expect(again.status).toBe(404);
  });
});
