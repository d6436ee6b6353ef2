import type { WebhookEventData } from "@instagram-connect/types";
import { onLifecycleEvent, webhookEventFor } from "../lifecycle/lifecycle-events.ts";
import { emitWebhook } from "./emit-webhook.ts";

/**
 * Turns lifecycle events into webhooks: connected -> connection.created, refreshed,
 * reauth_required, and disconnected/deauthorized/deleted -> connection.deleted. Registered once
 * at module load (index.ts imports this file), so the Worker and its Durable Objects both emit.
 * The lifecycle code calls listeners only after the change is persisted (S24).
 */
export const stopLifecycleWebhooks: () => void = onLifecycleEvent(
  async ({ event, connection, reconnected, env }) => {
    const type = webhookEventFor(event.event);
    if (!type) return;
    const data: WebhookEventData = { connectionId: event.connectionId };
    if (connection) {
      data.instagramUserId = connection.profile.userId;
      data.username = connection.profile.username;
    }
    if (event.reason) data.reason = event.reason;
    if (type === "connection.created") data.reconnected = reconnected;
    if ((type === "connection.created" || type === "connection.refreshed") && connection) {
      data.tokenExpiresAt = connection.tokenExpiresAt;
    }
    await emitWebhook(env, type, data);
  },
);
