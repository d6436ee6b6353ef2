import type { AuditEvent, ConnectionView } from "@instagram-connect/types";
import { type AuditInput, recordAuditEvent } from "../audit/audit-trail.ts";
import { healthTransitionFor, noteHealth } from "../health/health-notes.ts";
import { logEvent } from "../log.ts";
import { announceLifecycleWebhook } from "../webhooks/lifecycle-webhooks.ts";

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

/** An extra observer (tests, future metrics). Errors are logged, never propagated. */
export type LifecycleListener = (notice: LifecycleNotice) => void | Promise<void>;

const listeners = new Set<LifecycleListener>();

/**
 * Observes every token lifecycle event (connected, refreshed, refresh_failed, reauth_required,
 * disconnected, deauthorized, deleted). Production reactions are not registered here: they are
 * called explicitly in `emitLifecycleEvent` (webhooks). Returns an unsubscribe function.
 *
 * @example
 * const stop = onLifecycleEvent(({ event }) => void seen.push(event.event));
 */
export function onLifecycleEvent(listener: LifecycleListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Records the event in the audit trail (and its log line), announces it by webhook, keeps the
 * health ledger's figures, then tells any observer. Called only after the change it reports is persisted (S24), so nothing is ever
 * announced that could still be lost. A failing reaction is logged and never fails the change.
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
  const reactions: LifecycleListener[] = [
    ({ event: audit, connection, reconnected }) =>
      announceLifecycleWebhook(env, audit, connection, reconnected),
    // The health ledger's figures (GET /v1/api/health) change only on these transitions.
    ({ event: audit }) => {
      const transition = healthTransitionFor(audit);
      return transition ? noteHealth(env, transition) : undefined;
    },
    ...listeners,
  ];
  const results = await Promise.allSettled(reactions.map(async (react) => react(notice)));
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
