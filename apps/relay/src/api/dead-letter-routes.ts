import {
  API_ROUTES,
  type WebhookDeadLettersResponse,
  type WebhookReplayResponse,
} from "@instagram-connect/types";
import { type Context, Hono } from "hono";
import { NO_STORE } from "../http/security-headers.ts";
import { validated } from "../http/validate.ts";
import { logEvent } from "../log.ts";
import {
  apiKeyParamsSchema,
  connectionParamsSchema,
  deadLetterParamsSchema,
  keyDeadLetterParamsSchema,
} from "../request-schemas.ts";
import { FailureError } from "../result.ts";
import { anomalyOutbox } from "../usage/usage-counter.ts";
import { requireOperation } from "./api-auth.ts";
import type { ApiEnv } from "./api-env.ts";

/**
 * Webhook events that exhausted their delivery attempts, per outbox: a connection's (its lifecycle
 * events and alerts) and an API key's (its `security.anomaly` alerts), each listed and replayed
 * (same event id) with `webhooks:manage`. Dead letters outlive their connection or key (that is
 * when they matter), so no record is looked up.
 */
export const deadLetterRoutes = new Hono<ApiEnv>()
  .get(API_ROUTES.webhookDeadLetters, requireOperation("webhooks:manage"), (c) => {
    const { connectionId } = validated(connectionParamsSchema, c.req.param(), "path");
    return listDeadLetters(c, connectionId);
  })
  .post(API_ROUTES.webhookReplay, requireOperation("webhooks:manage"), (c) => {
    const { connectionId, eventId } = validated(deadLetterParamsSchema, c.req.param(), "path");
    return replayDeadLetter(c, connectionId, eventId, { connectionId });
  })
  .get(API_ROUTES.keyWebhookDeadLetters, requireOperation("webhooks:manage"), (c) => {
    const { keyId } = validated(apiKeyParamsSchema, c.req.param(), "path");
    return listDeadLetters(c, anomalyOutbox({ type: "api_key", id: keyId }));
  })
  .post(API_ROUTES.keyWebhookReplay, requireOperation("webhooks:manage"), (c) => {
    const { keyId, eventId } = validated(keyDeadLetterParamsSchema, c.req.param(), "path");
    return replayDeadLetter(c, anomalyOutbox({ type: "api_key", id: keyId }), eventId, {
      outboxKeyId: keyId,
    });
  });

async function listDeadLetters(c: Context<ApiEnv>, outbox: string): Promise<Response> {
  const letters = await c.env.WEBHOOK_OUTBOX.getByName(outbox).deadLetters();
  const body: WebhookDeadLettersResponse = {
    items: letters.map((letter) => ({ ...letter, deadAt: new Date(letter.deadAt).toISOString() })),
  };
  return c.json(body, 200, NO_STORE);
}

async function replayDeadLetter(
  c: Context<ApiEnv>,
  outbox: string,
  eventId: string,
  subject: Record<string, string>,
): Promise<Response> {
  if (!(await c.env.WEBHOOK_OUTBOX.getByName(outbox).replay(eventId))) {
    throw new FailureError({ code: "not_found", reason: "dead_letter_not_found" });
  }
  logEvent("info", "api_webhook_replayed", { keyId: c.get("apiKey").keyId, ...subject, eventId });
  const body: WebhookReplayResponse = { replayed: true, eventId };
  return c.json(body, 200, NO_STORE);
}
