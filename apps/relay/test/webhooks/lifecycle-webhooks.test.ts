import { env } from "cloudflare:workers";
import { verifyWebhook } from "@instagram-connect/client";
import type { WebhookEvent } from "@instagram-connect/types";
import { describe, expect, it, vi } from "vitest";
import { emitLifecycleEvent } from "../../src/lifecycle/lifecycle-events.ts";
import { connectUser } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";

const ctx = useFakeInstagram();

async function eventsFor(
  connectionId: string,
  type: WebhookEvent["type"],
  count = 1,
): Promise<WebhookEvent[]> {
  let found: WebhookEvent[] = [];
  await vi.waitFor(
    () => {
      found = webhookReceiver.deliveries
        .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
        .filter((event) => event.type === type && event.data.connectionId === connectionId);
      expect(found).toHaveLength(count);
    },
    { timeout: 10_000 },
  );
  return found;
}

describe("webhooks from the token lifecycle", () => {
  it("S24: connecting sends connection.created (after the record is stored), reconnecting sends connection.reconnected; no token inside", async () => {
    const user = ctx.fake.addUser();
    const { connectionId } = await connectUser(ctx.fake, user.id);
    const [created] = await eventsFor(connectionId, "connection.created");
    expect(created?.data).toMatchObject({
      connectionId,
      instagramUserId: user.userId,
      username: user.username,
      reconnected: false,
      endUserId: null,
      metadata: null,
    });
    expect(await env.CONNECTIONS.get(`conn:${connectionId}`)).not.toBeNull();
    await connectUser(ctx.fake, user.id);
    const [again] = await eventsFor(connectionId, "connection.reconnected");
    expect(again?.data).toMatchObject({ connectionId, reconnected: true, endUserId: null });
    for (const delivery of webhookReceiver.deliveries) {
      expect(delivery.body).not.toMatch(/accessToken|access_token|credential/);
      const verified = await verifyWebhook({
        body: delivery.body,
        headers: delivery.headers,
        secret: String(Reflect.get(env, "WEBHOOK_SECRET")),
        now: () => ctx.fake.clock.now(),
      });
      expect(verified.ok).toBe(true);
    }
  });

  it("the widget's own disconnect sends connection.deleted", async () => {
    const user = ctx.fake.addUser();
    const { connectionId, credential } = await connectUser(ctx.fake, user.id);
    const response = await relayFetch("/v1/connections/me", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${credential}`, Origin: SITE },
    });
    expect(response.status).toBe(200);
    const [deleted] = await eventsFor(connectionId, "connection.deleted");
    expect(deleted?.data).toMatchObject({
      connectionId,
      reason: "user_disconnected",
      username: user.username,
    });
  });

  it("refreshed and reauth_required lifecycle events become their webhooks; refresh_failed sends none", async () => {
    const user = ctx.fake.addUser();
    const { connectionId } = await connectUser(ctx.fake, user.id);
    await emitLifecycleEvent(env, { event: "refresh_failed", connectionId, reason: "upstream_timeout" });
    await emitLifecycleEvent(env, { event: "refreshed", connectionId, reason: "scheduled" });
    await emitLifecycleEvent(env, { event: "reauth_required", connectionId, reason: "token_invalid" });
    const [refreshed] = await eventsFor(connectionId, "connection.refreshed");
    const [reauth] = await eventsFor(connectionId, "connection.reauth_required");
    expect(refreshed?.data.reason).toBe("scheduled");
    expect(reauth?.data.reason).toBe("token_invalid");
    const types = webhookReceiver.deliveries
      .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
      .filter((event) => event.data.connectionId === connectionId)
      .map((event) => event.type);
    expect(types.sort()).toEqual([
      "connection.created",
      "connection.reauth_required",
      "connection.refreshed",
    ]);
  });
});
