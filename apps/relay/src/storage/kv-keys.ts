/**
 * Every key the relay writes to the CONNECTIONS KV namespace, in one place (documented with
 * examples and TTLs in apps/relay/STORAGE.md). Key names hold only random relay ids, Instagram
 * account ids and dates: never a token, credential or secret (S22), since keys can be listed.
 */

/** Prefixes of every KV key family. */
export const KV_PREFIXES = {
  connection: "conn:",
  instagramId: "igid:",
  instagramUserId: "iguser:",
  refreshDue: "due:",
} as const;

/** How long before token expiry a connection becomes due for refresh. */
export const REFRESH_MARGIN_MS = 7 * 24 * 60 * 60 * 1000;

/** How long a due-index entry outlives the token it points at (then KV drops it). */
export const DUE_ENTRY_GRACE_S = 24 * 60 * 60;

/** `conn:<connectionId>`: the encrypted connection record. No TTL (deleted on disconnect). */
export function connectionKey(connectionId: string): string {
  return `${KV_PREFIXES.connection}${connectionId}`;
}

/** `igid:<app-scoped id>`: index to the connection id. No TTL. */
export function instagramIdKey(instagramId: string): string {
  return `${KV_PREFIXES.instagramId}${instagramId}`;
}

/** `iguser:<professional user_id>`: index to the connection id (webhooks and Meta use it). No TTL. */
export function instagramUserIdKey(userId: string): string {
  return `${KV_PREFIXES.instagramUserId}${userId}`;
}

/** `due:<yyyy-mm-dd>:<connectionId>`: refresh due-date index entry. */
export function refreshDueKey(dueDate: string, connectionId: string): string {
  return `${refreshDuePrefix(dueDate)}${connectionId}`;
}

/** `due:<yyyy-mm-dd>:`: list this prefix to find every connection due on that day. */
export function refreshDuePrefix(dueDate: string): string {
  return `${KV_PREFIXES.refreshDue}${dueDate}:`;
}

/** The UTC day (yyyy-mm-dd) a token expiring at `expiresAtMs` becomes due for refresh. */
export function refreshDueDate(expiresAtMs: number): string {
  return new Date(expiresAtMs - REFRESH_MARGIN_MS).toISOString().slice(0, 10);
}

/** Absolute expiration (epoch seconds) of a due entry: the token's expiry plus a grace day. */
export function refreshDueExpiration(expiresAtMs: number, nowMs: number): number {
  // KV refuses expirations closer than 60 s; keep a margin.
  return Math.max(Math.ceil(expiresAtMs / 1000) + DUE_ENTRY_GRACE_S, Math.ceil(nowMs / 1000) + 120);
}
