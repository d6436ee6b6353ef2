import type { AuditEvent, AuditEventName, ConnectionView, WebhookEventName } from "@instagram-connect/types";
import { type AuditInput, recordAuditEvent } from "../audit/audit-trail.ts";
import { logEvent } from "../log.ts";

/** What a lifecycle listener receives. Never holds a token. */
export interface LifecycleNotice {
  /** The audit event just recorded. */
  event: AuditEvent;
  /** The connection as it now is; for `disconnected`/`deauthorized`/`deleted`, as it was. Null when unknown. */
  connection: ConnectionView | null;
  /** True for `connected` when an existing connection was connected again. */
  reconnected: boolean;
  /** The Worker env of whoever emitted (request, cron or Durable Object). */
  env: Env;
}

/** A subscriber: webhooks, metrics, cache purges. Errors are logged, never propagated. */
export type LifecycleListener = (notice: LifecycleNotice) => void | Promise<void>;

const listeners = new Set<LifecycleListener>();

/**
 * Subscribes to every token lifecycle event (connected, refreshed, refresh_failed,
 * reauth_required, disconnected, deauthorized, deleted). Register once at module load (the
 * Worker and its Durable Objects load the same bundle). Returns an unsubscribe function.
 *
 * @example
 * onLifecycleEvent(async ({ event, connection, env }) => {
 *   const type = webhookEventFor(event.event);
 *   if (type) await enqueueWebhook(env, type, event, connection);
 * });
 */
export function onLifecycleEvent(listener: LifecycleListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Records the event in the audit trail (and its log line), then tells every listener. Called
 * only after the change it reports is persisted (S24), so a listener never announces a state
 * that could still be lost.
 */
export async function emitLifecycleEvent(
  env: Env,
  input: AuditInput,
  detail: { connection?: ConnectionView | null; reconnected?: boolean } = {},
): Promise<AuditEvent> {
  const event = await recordAuditEvent(env, input);
  const notice: LifecycleNotice = {
    event,
    connection: detail.connection ?? null,
    reconnected: detail.reconnected ?? false,
    env,
  };
  const results = await Promise.allSettled([...listeners].map(async (listener) => listener(notice)));
  for (const result of results) {
    if (result.status === "rejected") {
      const name = result.reason instanceof Error ? result.reason.name : "unknown";
      logEvent("error", "lifecycle_listener_failed", {
        audit: event.event,
        connectionId: event.connectionId,
        name,
      });
    }
  }
  return event;
}

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
