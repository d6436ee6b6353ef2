import { env } from "cloudflare:workers";
import type { ApiOperation, UsageResponse, WebhookEvent } from "@instagram-connect/types";
import { API_OPERATIONS } from "@instagram-connect/types";
import { createApiKey } from "../../src/api/api-key-store.ts";
import { registerSecret } from "../support/leak-collector.ts";
import { type RelayResponse, relayFetch } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";

/** A fresh key (all operations unless given) and its public id. */
export async function keyWithId(
  operations: readonly ApiOperation[] = API_OPERATIONS,
): Promise<{ apiKey: string; keyId: string }> {
  const { apiKey, record } = await createApiKey(env.CONNECTIONS, { name: "monitoring", operations });
  registerSecret(apiKey);
  return { apiKey, keyId: record.keyId };
}

/** An app-API call, optionally from a country (`request.cf.country` as Cloudflare sets it). */
export function apiCall(
  path: string,
  apiKey: string,
  country?: string,
  method = "GET",
): Promise<RelayResponse> {
  const init: RequestInit & { cf?: { country: string } } = {
    method,
    headers: { Authorization: `Bearer ${apiKey}` },
  };
  if (country) init.cf = { country };
  return relayFetch(path, init);
}

/** Reads a usage report (the caller flushed the counters first). */
export async function usageOf(path: string, apiKey: string): Promise<UsageResponse> {
  const response = await apiCall(path, apiKey);
  if (response.status !== 200) throw new Error(`usage read failed: ${response.status} ${response.text}`);
  return response.json<UsageResponse>();
}

/** `security.anomaly` events delivered so far about `subjectId`. */
export function anomaliesAbout(subjectId: string): WebhookEvent[] {
  return webhookReceiver.deliveries
    .map((delivery) => JSON.parse(delivery.body) as WebhookEvent)
    .filter((event) => event.type === "security.anomaly" && event.data.anomaly?.subject.id === subjectId);
}
