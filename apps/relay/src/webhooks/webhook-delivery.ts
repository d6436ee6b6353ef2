import { signWebhook } from "@instagram-connect/client";
import { WEBHOOK_HEADERS, type WebhookEvent } from "@instagram-connect/types";
import type { WebhookSettings } from "../config/relay-config.ts";
import { now, webhookFetch } from "../runtime.ts";

/** How long one delivery may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The outcome of one delivery attempt; `reason` is safe to log (status or error name). */
export type DeliveryOutcome = { ok: true } | { ok: false; reason: string };

/**
 * POSTs one event, signed with a fresh timestamp (each retry is signed anew, so a late retry
 * still passes the receiver's replay window). Any 2xx is success; other statuses, network
 * errors and timeouts are failures to retry. The response body is never read.
 */
export async function deliverWebhook(config: WebhookSettings, event: WebhookEvent): Promise<DeliveryOutcome> {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(now() / 1000);
  try {
    const response = await webhookFetch(config.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "instagram-connect-relay",
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: await signWebhook(config.secret, timestamp, body),
        [WEBHOOK_HEADERS.id]: event.id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok ? { ok: true } : { ok: false, reason: `http_${response.status}` };
  } catch (error) {
    return { ok: false, reason: `network:${error instanceof Error ? error.name : "unknown"}` };
  }
}
