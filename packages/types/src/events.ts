/** Token lifecycle events kept in each connection's audit trail. */
export const AUDIT_EVENTS = [
  "connected",
  "refreshed",
  "refresh_failed",
  "reauth_required",
  "disconnected",
  "deauthorized",
  "deleted",
] as const;

/** One audit event name. */
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

/** One audit trail entry. Never holds a token. */
export interface AuditEvent {
  event: AuditEventName;
  /** ISO 8601 time. */
  at: string;
  connectionId: string;
  reason: string | null;
}

/** Webhook event names sent to an app's configured URL. */
export const WEBHOOK_EVENTS = [
  "connection.created",
  "connection.reconnected",
  "connection.refreshed",
  "connection.reauth_required",
  "connection.deleted",
  "media.published",
  "media.failed",
  "instagram.comment",
  "security.anomaly",
] as const;

/** One webhook event name. */
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
