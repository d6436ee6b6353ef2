import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { verifyWebhook } from "@instagram-connect/client";
import { WEBHOOK_HEADERS, type WebhookEvent } from "@instagram-connect/types";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { webhookSettings as webhookConfig } from "../../src/config/relay-config.ts";
import { randomToken } from "../../src/crypto/base64url.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { emitWebhook } from "../../src/webhooks/emit-webhook.ts";
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from "../../src/webhooks/webhook-backoff.ts";
import type { OutboxEntry } from "../../src/webhooks/webhook-outbox.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { type Delivery, webhookReceiver } from "../support/webhook-receiver.ts";

const SECRET = String(Reflect.get(env, "WEBHOOK_SECRET"));
let clock = Date.UTC(2026, 10, 23, 9, 0, 0);
const MINUTE = 60_000;

beforeEach(() => {
  webhookReceiver.reset();
  setClockForTests(() => clock);
});
afterEach(() => setClockForTests(null));

function freshConnectionId(): string {
  return `conn_${randomToken(16)}`;
}

function outbox(connectionId: string) {
  return env.WEBHOOK_OUTBOX.getByName(connectionId);
}

function deliveriesOf(eventId: string): Delivery[] {
  return webhookReceiver.deliveries.filter(
    (delivery) => delivery.headers.get(WEBHOOK_HEADERS.id) === eventId,
  );
}

/** Waits until the outbox has handled the event's first (alarm-driven) attempt. */
async function firstAttemptDone(connectionId: string, eventId: string): Promise<OutboxEntry[]> {
  let pending: OutboxEntry[] = [];
  await vi.waitFor(
    async () => {
      expect(deliveriesOf(eventId).length).toBeGreaterThanOrEqual(1);
      pending = await outbox(connectionId).pending();
      expect(pending.every((entry) => entry.failures > 0)).toBe(true);
    },
    { timeout: 10_000 },
  );
  return pending;
}

describe("webhook config", () => {
  it("is off when WEBHOOK_URL is unset or empty, and refuses unsafe settings with a log line", () => {
    expect(webhookConfig({})).toBeNull();
    expect(webhookConfig({ WEBHOOK_URL: "", WEBHOOK_SECRET: SECRET })).toBeNull();
    expect(webhookConfig({ WEBHOOK_URL: "http://hooks.example.com/x", WEBHOOK_SECRET: SECRET })).toBeNull();
    expect(
      webhookConfig({ WEBHOOK_URL: "https://u:p@hooks.example.com/x", WEBHOOK_SECRET: SECRET }),
    ).toBeNull();
    expect(webhookConfig({ WEBHOOK_URL: "https://hooks.example.com/x", WEBHOOK_SECRET: "short" })).toBeNull();
    expect(webhookConfig({ WEBHOOK_URL: "http://localhost:3000/hook", WEBHOOK_SECRET: SECRET })).toEqual({
      url: "http://localhost:3000/hook",
      secret: SECRET,
    });
    const lines = capturedLogs().filter((line) => line.includes("webhook.config_error"));
    expect(lines.some((line) => line.includes('"setting":"WEBHOOK_SECRET"'))).toBe(true);
    expect(lines.join("\n")).not.toContain(SECRET);
  });

  it("emits nothing when webhooks are off", async () => {
    const event = await emitWebhook({ WEBHOOK_OUTBOX: env.WEBHOOK_OUTBOX }, "connection.deleted", {
      connectionId: freshConnectionId(),
    });
    expect(event).toBeNull();
  });
});

describe("webhook delivery", () => {
  it("posts the signed event to WEBHOOK_URL; the client package's verifyWebhook accepts it", async () => {
    const connectionId = freshConnectionId();
    const event = await emitWebhook(env, "connection.refreshed", {
      connectionId,
      instagramUserId: "17841477965412211",
      tokenExpiresAt: "2027-01-22T09:00:00.000Z",
    });
    if (!event) throw new Error("webhooks should be on in tests");
    await firstAttemptDone(connectionId, event.id);
    const [delivery] = deliveriesOf(event.id);
    expect(delivery?.url).toBe("https://hooks.app.example.com/instagram-connect");
    expect(delivery?.headers.get("Content-Type")).toBe("application/json");
    expect(delivery?.headers.get(WEBHOOK_HEADERS.timestamp)).toBe(String(clock / 1000));
    expect(delivery?.headers.get(WEBHOOK_HEADERS.signature)).toMatch(/^v1=[0-9a-f]{64}$/);

    const verified = await verifyWebhook({
      body: delivery?.body ?? "",
      headers: delivery?.headers ?? new Headers(),
      secret: SECRET,
      now: () => clock,
    });
    expect(verified).toEqual({ ok: true, event });
    expect(JSON.parse(delivery?.body ?? "")).toEqual({
      id: event.id,
      type: "connection.refreshed",
      createdAt: new Date(clock).toISOString(),
      data: {
        connectionId,
        instagramUserId: "17841477965412211",
        tokenExpiresAt: "2027-01-22T09:00:00.000Z",
      },
    });
    // A receiver with another secret, or a replay ten minutes later, is refused.
    expect(
      (
        await verifyWebhook({
          body: delivery?.body ?? "",
          headers: delivery?.headers ?? {},
          secret: `${SECRET}x`,
          now: () => clock,
        })
      ).ok,
    ).toBe(false);
    expect(
      await verifyWebhook({
        body: delivery?.body ?? "",
        headers: delivery?.headers ?? {},
        secret: SECRET,
        now: () => clock + 10 * MINUTE,
      }),
    ).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(await outbox(connectionId).pending()).toEqual([]);
  });

  it("retries failures (non-2xx and network) with exponential backoff, re-signing each attempt", async () => {
    webhookReceiver.answers.push(500, "network", 204);
    const connectionId = freshConnectionId();
    const event = await emitWebhook(env, "connection.reauth_required", {
      connectionId,
      reason: "token_invalid",
    });
    if (!event) throw new Error("webhooks should be on in tests");
    const [afterFirst] = await firstAttemptDone(connectionId, event.id);
    expect(afterFirst?.failures).toBe(1);
    expect(afterFirst?.nextAttemptAt).toBeGreaterThanOrEqual(clock + 0.9 * MINUTE);

    // The backoff is honoured: an alarm before it elapses sends nothing.
    await runDurableObjectAlarm(outbox(connectionId));
    expect(deliveriesOf(event.id)).toHaveLength(1);

    clock += MINUTE;
    await runDurableObjectAlarm(outbox(connectionId));
    expect(deliveriesOf(event.id)).toHaveLength(2);
    const [afterSecond] = await outbox(connectionId).pending();
    expect(afterSecond?.failures).toBe(2);
    expect((afterSecond?.nextAttemptAt ?? 0) - clock).toBeGreaterThanOrEqual(0.9 * 4 * MINUTE);

    clock += 4 * MINUTE;
    await runDurableObjectAlarm(outbox(connectionId));
    const deliveries = deliveriesOf(event.id);
    expect(deliveries).toHaveLength(3);
    expect(await outbox(connectionId).pending()).toEqual([]);
    // Same event (same id and body) each time, each signed for its own moment.
    expect(new Set(deliveries.map((delivery) => delivery.body)).size).toBe(1);
    expect(new Set(deliveries.map((delivery) => delivery.headers.get(WEBHOOK_HEADERS.timestamp))).size).toBe(
      3,
    );
    const last = deliveries[2];
    expect(
      (
        await verifyWebhook({
          body: last?.body ?? "",
          headers: last?.headers ?? {},
          secret: SECRET,
          now: () => clock,
        })
      ).ok,
    ).toBe(true);
  });

  it(`moves an event to the dead-letter store after ${WEBHOOK_MAX_ATTEMPTS} failed attempts, with an error log line`, async () => {
    webhookReceiver.answers.push(...Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, () => 503));
    const connectionId = freshConnectionId();
    const event = await emitWebhook(env, "connection.deleted", { connectionId, reason: "deauthorized" });
    if (!event) throw new Error("webhooks should be on in tests");
    await firstAttemptDone(connectionId, event.id);
    for (let attempt = 2; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
      clock += 12 * 60 * MINUTE;
      await runDurableObjectAlarm(outbox(connectionId));
    }
    expect(deliveriesOf(event.id)).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    expect(await outbox(connectionId).pending()).toEqual([]);
    const dropped = capturedLogs().find(
      (line) => line.includes("webhook.dead_lettered") && line.includes(event.id),
    );
    expect(dropped).toContain('"reason":"http_503"');
    expect(await outbox(connectionId).deadLetters()).toMatchObject([
      { event, failures: WEBHOOK_MAX_ATTEMPTS, lastReason: "http_503" },
    ]);
    clock += 24 * 60 * MINUTE;
    await runDurableObjectAlarm(outbox(connectionId));
    expect(deliveriesOf(event.id)).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
  });

  it("backoff grows 4x from one minute, is capped at 12 hours, and jitters down by at most 10%", () => {
    expect(webhookRetryDelayMs(1, () => 0)).toBe(MINUTE);
    expect(webhookRetryDelayMs(2, () => 0)).toBe(4 * MINUTE);
    expect(webhookRetryDelayMs(3, () => 0)).toBe(16 * MINUTE);
    expect(webhookRetryDelayMs(10, () => 0)).toBe(12 * 60 * MINUTE);
    expect(webhookRetryDelayMs(2, () => 0.999)).toBeGreaterThan(0.9 * 4 * MINUTE);
  });

  it("delivers one connection's events in the order they happened", async () => {
    const connectionId = freshConnectionId();
    const events: WebhookEvent[] = [];
    for (const type of ["connection.created", "connection.refreshed", "connection.deleted"] as const) {
      const event = await emitWebhook(env, type, { connectionId });
      if (event) events.push(event);
      clock += 1000;
    }
    await vi.waitFor(async () => expect(await outbox(connectionId).pending()).toEqual([]), {
      timeout: 10_000,
    });
    const types = webhookReceiver.deliveries
      .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
      .filter((event) => event.data.connectionId === connectionId)
      .map((event) => event.type);
    expect(types).toEqual(["connection.created", "connection.refreshed", "connection.deleted"]);
  });
});
