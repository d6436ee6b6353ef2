import type { WebhookEvent, WebhookEventData, WebhookEventName } from "@instagram-connect/types";
import { webhookSettings } from "../config/relay-config.ts";
import { randomToken } from "../crypto/base64url.ts";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";

/** The env slice the emitter needs. */
export type WebhookEnv = Pick<Env, "WEBHOOK_OUTBOX"> & { WEBHOOK_URL?: unknown; WEBHOOK_SECRET?: unknown };

/**
 * Queues one webhook event in the connection's durable outbox (which delivers it and retries);
 * an event about no connection (an API key's `security.anomaly`) names its own `outbox`.
 * A no-op when webhooks are off. Never throws: a webhook problem must not fail the flow that
 * emitted it. Call it only after the change is persisted (S24), e.g. in `waitUntil`.
 * @example
 * c.executionCtx.waitUntil(emitWebhook(c.env, "connection.deleted", { connectionId, reason: "api" }));
 */
export async function emitWebhook(
  env: WebhookEnv,
  type: WebhookEventName,
  data: WebhookEventData,
  outbox: string | undefined = data.connectionId,
): Promise<WebhookEvent | null> {
  if (!webhookSettings(env) || !outbox) return null;
  const event: WebhookEvent = {
    id: `evt_${randomToken(16)}`,
    type,
    createdAt: new Date(now()).toISOString(),
    data,
  };
  try {
    await env.WEBHOOK_OUTBOX.getByName(outbox).enqueue(event);
  } catch (error) {
    logEvent("error", "webhook.enqueue_failed", {
      eventId: event.id,
      type,
      error: error instanceof Error ? error.name : "unknown",
    });
  }
  return event;
}
