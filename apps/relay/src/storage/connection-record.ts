import { type ConnectionView, INSTAGRAM_SCOPES, type JsonValue } from "@instagram-connect/types";
import * as z from "zod/mini";
import type { KeyRing } from "../crypto/keys.ts";
import { sealedKid } from "../crypto/token-vault.ts";

/** Any JSON value (metadata). */
export const jsonValueSchema: z.ZodMiniType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** Schema of our `InstagramProfile` as stored and cached (Instagram's own `/me` shape: `igProfileSchema`). */
export const profileSchema = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  name: z.nullable(z.string()),
  accountType: z.enum(["BUSINESS", "MEDIA_CREATOR", "PERSONAL", "UNKNOWN"]),
  profilePictureUrl: z.nullable(z.string()),
  followersCount: z.nullable(z.number()),
  followsCount: z.nullable(z.number()),
  mediaCount: z.nullable(z.number()),
});

/** Schema of our `MediaItem` (Instagram's own shape: `igMediaPageSchema`). */
export const mediaItemSchema = z.object({
  id: z.string(),
  caption: z.nullable(z.string()),
  mediaType: z.enum(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]),
  mediaUrl: z.nullable(z.string()),
  permalink: z.nullable(z.string()),
  thumbnailUrl: z.nullable(z.string()),
  timestamp: z.string(),
});

/** Schema of our `MediaPage`: validates cached pages and documents the API (OpenAPI). */
export const mediaPageSchema = z.object({
  items: z.array(mediaItemSchema),
  nextCursor: z.nullable(z.string()),
});

/** Schema of the JSON stored at `conn:<connectionId>` (validated on every read). */
export const connectionRecordSchema = z.object({
  v: z.literal(1),
  connectionId: z.string(),
  status: z.enum(["active", "reauth_required"]),
  profile: profileSchema,
  scopes: z.array(z.enum(INSTAGRAM_SCOPES)),
  /** Sealed by the token vault: `v1.<kid>.<iv>.<ciphertext>`. */
  accessToken: z.string(),
  tokenIssuedAt: z.string(),
  tokenExpiresAt: z.string(),
  /** The yyyy-mm-dd of this record's `due:` index entry. */
  refreshDueDate: z.string(),
  /** `<kid>:<HMAC>` of the widget credential; the credential itself is never stored. */
  credentialHash: z.string(),
  /**
   * Hashes of credentials issued by earlier consents for the same account, newest first: a
   * reconnect from another site or browser adds a credential and never ends a live widget's.
   */
  earlierCredentialHashes: z.optional(z.array(z.string())),
  connectedAt: z.string(),
  updatedAt: z.string(),
  /** Owner fields (absent on records made before connect sessions: anonymous, any origin). */
  endUserId: z.optional(z.nullable(z.string())),
  origin: z.optional(z.nullable(z.string())),
  sessionId: z.optional(z.nullable(z.string())),
  metadata: z.optional(z.nullable(z.record(z.string(), jsonValueSchema))),
});

/** One stored connection (the access token inside is encrypted). */
export type ConnectionRecord = z.infer<typeof connectionRecordSchema>;

/** How many earlier credentials a connection keeps valid besides the newest. */
export const MAX_EARLIER_CREDENTIALS = 4;

/**
 * A consent's record merged with the one it replaces: the credentials issued before stay valid
 * (newest first, up to MAX_EARLIER_CREDENTIALS), so a consent started elsewhere never logs out a
 * live widget (S31); the first connection date stays; a consent without session metadata keeps
 * what the app set with PATCH. Done by the coordinator against the record as it last wrote it.
 */
export function withEarlierConsent(
  fresh: ConnectionRecord,
  previous: ConnectionRecord | null,
): ConnectionRecord {
  if (!previous) return fresh;
  return {
    ...fresh,
    earlierCredentialHashes: [previous.credentialHash, ...(previous.earlierCredentialHashes ?? [])].slice(
      0,
      MAX_EARLIER_CREDENTIALS,
    ),
    connectedAt: previous.connectedAt,
    metadata: fresh.metadata ?? previous.metadata ?? null,
  };
}

/**
 * Whether the connection's token can be used now: the one definition of "usable" (the view's
 * status, the read path and the app API all ask this). An expired token is not usable even
 * before the refresh sweep marks it; with `ring`, neither is one sealed under a key id this
 * deployment does not hold (no decryption needed to tell).
 */
export function isUsable(record: ConnectionRecord, nowMs: number, ring?: KeyRing): boolean {
  if (record.status !== "active" || !(Date.parse(record.tokenExpiresAt) > nowMs)) return false;
  if (!ring) return true;
  const kid = sealedKid(record.accessToken);
  return kid !== null && ring.has(kid);
}

/**
 * The public view of a record. A token that has already expired reports `reauth_required`,
 * so nobody is handed a connection that cannot work.
 */
export function toConnectionView(record: ConnectionRecord, nowMs: number, ring?: KeyRing): ConnectionView {
  return {
    id: record.connectionId,
    status: isUsable(record, nowMs, ring) ? "active" : "reauth_required",
    profile: record.profile,
    scopes: record.scopes,
    tokenExpiresAt: record.tokenExpiresAt,
    connectedAt: record.connectedAt,
    updatedAt: record.updatedAt,
    endUserId: record.endUserId ?? null,
    origin: record.origin ?? null,
    metadata: record.metadata ?? null,
  };
}
