import {
  AUDIT_EVENTS,
  type AuditEvent,
  type AuditEventName,
  type AuditTrailResponse,
} from "@instagram-connect/types";
import * as z from "zod/mini";
import { randomToken } from "../crypto/base64url.ts";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import { AUDIT_EVENT_TTL_S, auditEventKey, auditPrefix } from "../storage/kv-keys.ts";

/** The bindings the audit trail needs. */
export type AuditEnv = Pick<Env, "CONNECTIONS">;

/** What a caller records; the time defaults to the relay clock. */
export interface AuditInput {
  event: AuditEventName;
  connectionId: string;
  /** A short code such as `user_disconnected` or `upstream_timeout`: never a token or personal data. */
  reason?: string | null;
  atMs?: number;
}

/** Largest page `listAuditEvents` returns. */
export const AUDIT_PAGE_MAX = 100;

const REASON_MAX = 120;
const eventSchema = z.object({
  event: z.enum(AUDIT_EVENTS),
  at: z.string(),
  connectionId: z.string(),
  reason: z.nullable(z.string()),
});

/**
 * Appends one event to a connection's audit trail and writes it as one JSON log line.
 * One KV key per event (time-sortable name, random suffix), so concurrent writers never
 * lose each other's events; the event rides in the key's metadata so a page is one `list`.
 * Kept `AUDIT_EVENT_TTL_S` (90 days). Holds a connection id, an event name and a reason code:
 * no token, no Instagram id, no username, so it may outlive a data deletion.
 *
 * @example
 * await recordAuditEvent(env, { event: "disconnected", connectionId, reason: "user_disconnected" });
 */
export async function recordAuditEvent(env: AuditEnv, input: AuditInput): Promise<AuditEvent> {
  const atMs = input.atMs ?? now();
  const event: AuditEvent = {
    event: input.event,
    at: new Date(atMs).toISOString(),
    connectionId: input.connectionId,
    reason: input.reason ? safeReason(input.reason) : null,
  };
  logEvent(input.event === "refresh_failed" ? "warn" : "info", "audit", {
    audit: event.event,
    connectionId: event.connectionId,
    reason: event.reason,
    at: event.at,
  });
  await env.CONNECTIONS.put(auditEventKey(input.connectionId, atMs, uniqueSuffix()), "", {
    expirationTtl: AUDIT_EVENT_TTL_S,
    metadata: event,
  });
  return event;
}

/**
 * One page of a connection's audit trail, newest first. `limit` 1..100 (default 25); pass
 * `nextCursor` back as `cursor` for the next page (null on the last page).
 *
 * @example
 * const { items, nextCursor } = await listAuditEvents(env, connectionId, { limit: 50 });
 */
export async function listAuditEvents(
  env: AuditEnv,
  connectionId: string,
  page: { limit?: number; cursor?: string | undefined } = {},
): Promise<AuditTrailResponse> {
  const limit = Math.min(Math.max(Math.floor(page.limit ?? 25), 1), AUDIT_PAGE_MAX);
  const listed = await env.CONNECTIONS.list({
    prefix: auditPrefix(connectionId),
    limit,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
  const items: AuditEvent[] = [];
  for (const key of listed.keys) {
    const parsed = eventSchema.safeParse(key.metadata);
    if (parsed.success) items.push(parsed.data);
  }
  return { items, nextCursor: listed.list_complete ? null : listed.cursor };
}

// Events of one connection are written by its coordinator, mostly in one isolate: a counting-down
// sequence keeps same-millisecond events newest first there; the random part keeps keys unique.
let sequence = 0;
function uniqueSuffix(): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(999_999 - sequence).padStart(6, "0")}${randomToken(6)}`;
}

// Reasons are codes; anything else is cut to a safe alphabet so no free text lands in the trail.
function safeReason(reason: string): string {
  return reason.replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, REASON_MAX);
}
