import type {
  AuditEvent,
  AuditEventName,
  ConnectionView,
  WebhookEventData,
  WebhookEventName,
} from "@instagram-connect/types";
import { emitWebhook } from "./emit-webhook.ts";

/** The webhook event an audit event maps to (null: not announced by webhook). */
export function webhookEventFor(event: AuditEventName): WebhookEventName | null {
  switch (event) {
    case "connected":
      return "connection.created";
    case "refreshed":
      return "connection.refreshed";
    case "reauth_required":
      return "connection.reauth_required";
    case "disconnected":
    case "deauthorized":
    case "deleted":
      return "connection.deleted";
    case "refresh_failed":
      return null;
  }
}

/**
 * Announces a lifecycle event as a webhook: connected -> connection.created (or
 * connection.reconnected for an existing connection), refreshed,
 * reauth_required, and disconnected/deauthorized/deleted -> connection.deleted. Called by
 * `emitLifecycleEvent` only after the change is persisted (S24); never holds a token.
 */
export async function announceLifecycleWebhook(
  env: Env,
  event: AuditEvent,
  connection: ConnectionView | null,
  reconnected: boolean,
): Promise<void> {
  const mapped = webhookEventFor(event.event);
  if (!mapped) return;
  const type = mapped === "connection.created" && reconnected ? "connection.reconnected" : mapped;
  const data: WebhookEventData = { connectionId: event.connectionId };
  if (connection) {
    data.instagramUserId = connection.profile.userId;
    data.username = connection.profile.username;
    // Every event names the owner, so an app can route it without a lookup (issue 14).
    data.endUserId = connection.endUserId ?? null;
    data.metadata = connection.metadata ?? null;
  }
  if (event.reason) data.reason = event.reason;
  if (type === "connection.created" || type === "connection.reconnected") data.reconnected = reconnected;
  if (type !== "connection.reauth_required" && type !== "connection.deleted" && connection) {
    data.tokenExpiresAt = connection.tokenExpiresAt;
  }
  await emitWebhook(env, type, data);
}
