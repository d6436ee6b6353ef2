import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  type ApiHealthResponse,
  WEBHOOK_HEADERS,
  type WebhookDeadLettersResponse,
  type WebhookEventData,
  type WebhookEventName,
} from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { randomToken } from "../../src/crypto/base64url.ts";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";
import { limiterName } from "../../src/rate-limit/keys.ts";
import { emitWebhook } from "../../src/webhooks/emit-webhook.ts";
import { WEBHOOK_MAX_ATTEMPTS } from "../../src/webhooks/webhook-backoff.ts";
import { connect, freshUser, getMe } from "../cache/connected.ts";
import { connectUser, DAY_MS, T0, useEmptyKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";
import { apiCall, keyWithId } from "./monitoring-support.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

async function health(query = ""): Promise<ApiHealthResponse> {
  const { apiKey } = await keyWithId(["monitoring:read"]);
  const response = await apiCall(`/v1/api/health${query}`, apiKey);
  if (response.status !== 200) throw new Error(`health failed: ${response.status} ${response.text}`);
  return response.json<ApiHealthResponse>();
}

/** Emits one webhook into `outbox` and fails every delivery attempt, so it ends dead-lettered. */
async function deadLettered(outboxName: string, type: WebhookEventName, data: WebhookEventData) {
  const { fake } = ctx;
  webhookReceiver.reset();
  webhookReceiver.answers.push(...Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, () => 503));
  const event = await emitWebhook(env, type, data, outboxName);
  if (!event) throw new Error("webhooks should be on in tests");
  const stub = env.WEBHOOK_OUTBOX.getByName(outboxName);
  for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
    await runDurableObjectAlarm(stub);
    fake.clock.advance(13 * 3_600_000);
  }
  return { event, outbox: stub };
}

describe("GET /v1/api/health", () => {
  it("S44: reports a transient refresh failure, and drops it once a refresh succeeds", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    const before = (await health("?limit=25")).refreshFailures.count;
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "http_5xx" });
    expect((await coordinatorFor(env, handle.connectionId).refresh(handle.connectionId)).status).toBe(
      "retry_scheduled",
    );

    const failing = await health("?limit=25");
    expect(failing.refreshFailures.count).toBe(before + 1);
    expect(failing.refreshFailures.items).toContainEqual({
      connectionId: handle.connectionId,
      failures: 1,
      reason: expect.stringMatching(/^upstream_/),
      at: new Date(fake.clock.now()).toISOString(),
    });

    fake.clock.advance(DAY_MS);
    expect((await coordinatorFor(env, handle.connectionId).refresh(handle.connectionId)).status).toBe(
      "refreshed",
    );
    const recovered = await health("?limit=25");
    expect(recovered.refreshFailures.count).toBe(before);
    expect(recovered.refreshFailures.items.map((item) => item.connectionId)).not.toContain(
      handle.connectionId,
    );
  });

  it("S44: reports a connection needing reauth until its user connects again", async () => {
    const { fake } = ctx;
    const user = freshUser(fake);
    const handle = await connect(fake, user);
    const before = (await health("?limit=25")).reauthRequired.count;
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "token_revoked" });
    expect((await coordinatorFor(env, handle.connectionId).refresh(handle.connectionId)).status).toBe(
      "reauth_required",
    );

    const waiting = await health("?limit=25");
    expect(waiting.reauthRequired.count).toBe(before + 1);
    expect(waiting.reauthRequired.items).toContainEqual(
      expect.objectContaining({ connectionId: handle.connectionId }),
    );
    expect(waiting.refreshFailures.items.map((item) => item.connectionId)).not.toContain(handle.connectionId);

    const again = await connect(fake, user);
    expect(again.connectionId).toBe(handle.connectionId);
    expect((await health("?limit=25")).reauthRequired.count).toBe(before);
  });

  it("S44: reports a dead-lettered webhook until it is replayed", async () => {
    // Dead letters outlive their connection: an outbox of its own, no consent needed.
    const handle = { connectionId: `conn_${randomToken(16)}` };
    const before = (await health("?limit=25")).deadLetters.count;
    const { event, outbox } = await deadLettered(handle.connectionId, "connection.refreshed", {
      connectionId: handle.connectionId,
    });
    expect(await outbox.deadLetters()).toHaveLength(1);

    const dead = await health("?limit=25");
    expect(dead.deadLetters.count).toBe(before + 1);
    expect(dead.deadLetters.items).toContainEqual({
      connectionId: handle.connectionId,
      keyId: null,
      eventId: event.id,
      type: "connection.refreshed",
      at: expect.any(String),
    });

    const { apiKey } = await keyWithId(["webhooks:manage"]);
    const replay = await apiCall(
      `/v1/api/connections/${handle.connectionId}/webhooks/dead-letters/${event.id}/replay`,
      apiKey,
      undefined,
      "POST",
    );
    expect(replay.status).toBe(200);
    expect((await health("?limit=25")).deadLetters.count).toBe(before);
  });

  it("S44: an API key's dead-lettered anomaly alert names its key and is replayed through the key's routes", async () => {
    const { fake } = ctx;
    const alerted = await keyWithId(["connections:read"]);
    const outboxName = `apikey:${alerted.keyId}`;
    const before = (await health("?limit=25")).deadLetters.count;
    const anomaly = {
      kind: "rate_jump" as const,
      subject: { type: "api_key" as const, id: alerted.keyId },
      windowStart: new Date(fake.clock.now()).toISOString(),
      requests: 50,
      baselinePerHour: 1,
    };
    const { event, outbox } = await deadLettered(outboxName, "security.anomaly", { anomaly });

    const dead = await health("?limit=25");
    expect(dead.deadLetters.items).toContainEqual({
      connectionId: null,
      keyId: alerted.keyId,
      eventId: event.id,
      type: "security.anomaly",
      at: expect.any(String),
    });
    const { apiKey } = await keyWithId(["webhooks:manage"]);
    const base = `/v1/api/keys/${alerted.keyId}/webhooks/dead-letters`;
    const listed = await apiCall(base, apiKey);
    expect(listed.status).toBe(200);
    expect(listed.json<WebhookDeadLettersResponse>().items.map((item) => item.event.id)).toEqual([event.id]);
    // Without webhooks:manage, a malformed key id, an unknown event: typed refusals, nothing replayed.
    expect((await apiCall(`${base}/${event.id}/replay`, alerted.apiKey, undefined, "POST")).status).toBe(403);
    const malformed = await apiCall(
      `/v1/api/keys/nope/webhooks/dead-letters/${event.id}/replay`,
      apiKey,
      undefined,
      "POST",
    );
    expect(malformed.status).toBe(400);
    expect(malformed.json<{ error: { code: string } }>().error.code).toBe("invalid_request");
    const unknown = await apiCall(`${base}/evt_${randomToken(16)}/replay`, apiKey, undefined, "POST");
    expect(unknown.status).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe("not_found");

    webhookReceiver.reset();
    const replay = await apiCall(`${base}/${event.id}/replay`, apiKey, undefined, "POST");
    expect(replay.status).toBe(200);
    expect((await health("?limit=25")).deadLetters.count).toBe(before);
    await runDurableObjectAlarm(outbox);
    expect(webhookReceiver.deliveries.map((delivery) => delivery.headers.get(WEBHOOK_HEADERS.id))).toEqual([
      event.id,
    ]);
  });

  it("S44: reports each account's Instagram budget from the upstream limiter, a page at a time", async () => {
    const { fake } = ctx;
    const first = await connect(fake, freshUser(fake));
    const second = await connect(fake, freshUser(fake));
    expect((await getMe(first)).status).toBe(200);
    const userId = (await getMe(second)).json<{ connection: { profile: { userId: string } } }>().connection
      .profile.userId;
    const pausedUntil = fake.clock.now() + 600_000;
    await env.RATE_LIMITER.getByName(await limiterName("upstream", userId)).pause(pausedUntil);

    const page = await health("?limit=1");
    expect(page.budgets.items).toHaveLength(1);
    expect(page.budgets.nextCursor).not.toBeNull();
    const rest = await health(`?limit=1&cursor=${encodeURIComponent(page.budgets.nextCursor ?? "")}`);
    const budgets = [...page.budgets.items, ...rest.budgets.items];
    const byConnection = new Map(budgets.map((item) => [item.connectionId, item]));
    const spent = byConnection.get(first.connectionId);
    expect(spent?.limit).toBe(200);
    expect(spent?.windowSeconds).toBe(3600);
    expect(spent?.remaining).toBeGreaterThan(0);
    // The read above spent from the account's budget (burst 50 + 1 when untouched).
    expect(spent?.remaining).toBeLessThan(51);
    expect(spent?.pausedUntil).toBeNull();
    expect(byConnection.get(second.connectionId)).toMatchObject({
      instagramUserId: userId,
      remaining: 0,
      pausedUntil: new Date(pausedUntil).toISOString(),
    });
  });

  it.each([["?limit=0"], ["?limit=26"], ["?cursor="], ["?other=1"]])(
    "answers 400 invalid_request for %s",
    async (query) => {
      const { apiKey } = await keyWithId(["monitoring:read"]);
      const response = await apiCall(`/v1/api/health${query}`, apiKey);
      expect(response.status).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: "invalid_request" } });
    },
  );

  it("S44: a health ledger that cannot be reached never fails the refresh it reports (fault harness)", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    faults.durableObject({ binding: "HEALTH_LEDGER", method: "apply", effect: "fail", times: Infinity });
    fake.clock.advance(54 * DAY_MS);
    fake.faults.inject({ endpoint: "refresh", kind: "token_revoked" });
    expect((await coordinatorFor(env, handle.connectionId).refresh(handle.connectionId)).status).toBe(
      "reauth_required",
    );
    expect(faults.injected).toBeGreaterThanOrEqual(1);
    expect(capturedLogs().some((line) => line.includes("health.note_failed"))).toBe(true);
  });
});
