import { sha256Base64Url } from "../crypto/base64url.ts";

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
  readCache: "cache:",
  audit: "audit:",
  deletion: "deletion:",
  apiKey: "apikey:",
  accountOwner: "acct:",
  endUser: "enduser:",
  instagramWebhookSeen: "igseen:",
  feed: "feed:",
  feedSnapshot: "feedsnap:",
  feedOfConnection: "feedconn:",
} as const;

/** How long one audit event is kept (KV TTL): 90 days. */
export const AUDIT_EVENT_TTL_S = 90 * 24 * 60 * 60;

/** How long a Meta data-deletion status record is kept (KV TTL): 400 days. */
export const DELETION_RECORD_TTL_S = 400 * 24 * 60 * 60;

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

/**
 * The UTC day (yyyy-mm-dd) a token expiring at `expiresAtMs` becomes due for refresh, at the
 * fixed index margin. The sweep looks further ahead when REFRESH_WINDOW_DAYS is larger.
 */
export function refreshDueDate(expiresAtMs: number): string {
  return new Date(expiresAtMs - REFRESH_MARGIN_MS).toISOString().slice(0, 10);
}

/** Absolute expiration (epoch seconds) of a due entry: the token's expiry plus a grace day. */
export function refreshDueExpiration(expiresAtMs: number, nowMs: number): number {
  // KV refuses expirations closer than 60 s; keep a margin.
  return Math.max(Math.ceil(expiresAtMs / 1000) + DUE_ENTRY_GRACE_S, Math.ceil(nowMs / 1000) + 120);
}

/** `cache:<connectionId>:`: list this prefix to find (and purge) every cached read of a connection. */
export function readCachePrefix(connectionId: string): string {
  return `${KV_PREFIXES.readCache}${connectionId}:`;
}

/**
 * `cache:<connectionId>:<kind>:<generation>[:<variant>]`: one cached upstream read (profile, a
 * media page). `generation` derives from the sealed token, so a reconnect or refresh starts
 * afresh; `variant` holds only paging parameters (limit, Graph's opaque cursor).
 */
export function readCacheKey(
  connectionId: string,
  kind: "profile" | "media" | "insights",
  generation: string,
  variant?: string,
): string {
  return `${readCachePrefix(connectionId)}${kind}:${generation}${variant === undefined ? "" : `:${variant}`}`;
}

/** KV refuses `expirationTtl` under 60 s. */
export const KV_MIN_TTL_S = 60;

/** The UTC day (yyyy-mm-dd) and connection id named by a `due:` key, or null when malformed. */
export function parseRefreshDueKey(key: string): { dueDate: string; connectionId: string } | null {
  const match = /^due:(\d{4}-\d{2}-\d{2}):(.+)$/.exec(key);
  return match?.[1] && match[2] ? { dueDate: match[1], connectionId: match[2] } : null;
}

/** `audit:<connectionId>:`: list this prefix to read one connection's audit trail, newest first. */
export function auditPrefix(connectionId: string): string {
  return `${KV_PREFIXES.audit}${connectionId}:`;
}

// Newest first: KV lists keys in ascending order, so the name holds the time counted down.
const AUDIT_TIME_CEILING = 9_999_999_999_999;

/**
 * `audit:<connectionId>:<13-digit countdown of epoch ms>:<random>`: one key per event, so
 * concurrent writers never overwrite each other. TTL `AUDIT_EVENT_TTL_S`.
 */
export function auditEventKey(connectionId: string, atMs: number, unique: string): string {
  const countdown = String(AUDIT_TIME_CEILING - Math.floor(atMs)).padStart(13, "0");
  return `${auditPrefix(connectionId)}${countdown}:${unique}`;
}

/** `deletion:<confirmation code>`: the state of one Meta data-deletion request. TTL `DELETION_RECORD_TTL_S`. */
export function deletionKey(confirmationCode: string): string {
  return `${KV_PREFIXES.deletion}${confirmationCode}`;
}

/** `apikey:<keyId>`: an API key record (only the key's SHA-256, never the key). No TTL. */
export function apiKeyKey(keyId: string): string {
  return `${KV_PREFIXES.apiKey}${keyId}`;
}

/** Who owns a connection: the session's end user, else the site origin (anonymous connect). */
export interface ConnectionOwner {
  endUserId?: string | null | undefined;
  origin?: string | null | undefined;
}

/**
 * `u.<SHA-256(end user id)>` or `o.<SHA-256(origin)>`: the owner as it appears in key names.
 * Hashed because an app's user id may be an e-mail address and key names can be listed (S22).
 */
export async function ownerKey(owner: ConnectionOwner): Promise<string> {
  return owner.endUserId != null
    ? `u.${await sha256Base64Url(`end-user|${owner.endUserId}`)}`
    : `o.${await sha256Base64Url(`origin|${owner.origin ?? ""}`)}`;
}

/** `acct:<professional user_id>:`: list it to find every owner's connection of one account. No TTL. */
export function accountOwnersPrefix(userId: string): string {
  return `${KV_PREFIXES.accountOwner}${userId}:`;
}

/** `acct:<user_id>:<owner key>`: the one live connection of (account, owner). Value: connection id. */
export function accountOwnerKey(userId: string, owner: string): string {
  return `${accountOwnersPrefix(userId)}${owner}`;
}

/** `enduser:<SHA-256(end user id)>:`: list it to find one end user's connections. No TTL. */
export async function endUserPrefix(endUserId: string): Promise<string> {
  return `${KV_PREFIXES.endUser}${await sha256Base64Url(`end-user|${endUserId}`)}:`;
}

/** How long a forwarded Instagram comment id is remembered: Meta retries for up to 36 h. */
export const INSTAGRAM_WEBHOOK_SEEN_TTL_S = 48 * 60 * 60;

/** `igseen:<connectionId>:<comment id>`: an Instagram webhook already forwarded. TTL `INSTAGRAM_WEBHOOK_SEEN_TTL_S`. */
export function instagramWebhookSeenKey(connectionId: string, commentId: string): string {
  return `${KV_PREFIXES.instagramWebhookSeen}${connectionId}:${commentId}`;
}

/** `feed:<feedId>`: a public feed's settings. No TTL (deleted with the feed or its connection). */
export function feedKey(feedId: string): string {
  return `${KV_PREFIXES.feed}${feedId}`;
}

/** `feedsnap:<feedId>`: the feed's last good items. No TTL (deleted with the feed). */
export function feedSnapshotKey(feedId: string): string {
  return `${KV_PREFIXES.feedSnapshot}${feedId}`;
}

/** `feedconn:<connectionId>:`: list this prefix to find every feed of a connection. */
export function feedsOfConnectionPrefix(connectionId: string): string {
  return `${KV_PREFIXES.feedOfConnection}${connectionId}:`;
}

/** `feedconn:<connectionId>:<feedId>`: index entry (value "1"), so removal finds the feeds. No TTL. */
export function feedOfConnectionKey(connectionId: string, feedId: string): string {
  return `${feedsOfConnectionPrefix(connectionId)}${feedId}`;
}

/** R2 `MEDIA` prefix of one feed's image copies: `feeds/<feedId>/`. */
export function feedMediaPrefix(feedId: string): string {
  return `feeds/${feedId}/`;
}

/** R2 `MEDIA` key of one image copy: `feeds/<feedId>/<mediaId>`. */
export function feedMediaKey(feedId: string, mediaId: string): string {
  return `${feedMediaPrefix(feedId)}${mediaId}`;
}
