import type { InstagramScope } from "./scopes.ts";
import type { ConnectionMetadata } from "./sessions.ts";

/** Whether a connection's token is usable. `reauth_required`: the user must connect again. */
export type ConnectionStatus = "active" | "reauth_required";

/** Instagram professional account type, normalised to upper case. */
export type AccountType = "BUSINESS" | "MEDIA_CREATOR" | "PERSONAL" | "UNKNOWN";

/** The public profile of a connected Instagram account (never includes a token). */
export interface InstagramProfile {
  /** App-scoped Instagram user id (`id` from `/me`). */
  id: string;
  /** Professional account id (`user_id` from `/me`; the id webhooks use). */
  userId: string;
  username: string;
  name: string | null;
  accountType: AccountType;
  profilePictureUrl: string | null;
  followersCount: number | null;
  followsCount: number | null;
  mediaCount: number | null;
}

/** What the relay tells the widget or an app about one connection. */
export interface ConnectionView {
  /** The relay's id for this connection. */
  id: string;
  status: ConnectionStatus;
  profile: InstagramProfile;
  /** Scopes Instagram actually granted. */
  scopes: InstagramScope[];
  /** ISO 8601 time the stored long-lived token expires. */
  tokenExpiresAt: string;
  /** ISO 8601 time the account was first connected. */
  connectedAt: string;
  /** ISO 8601 time of the last change (reconnect, refresh, status change). */
  updatedAt: string;
  /** The end user of the connect session that made it; null for an anonymous connect. */
  endUserId?: string | null;
  /** The site origin the consent ran for (null for records older than connect sessions). */
  origin?: string | null;
  /** App metadata from the connect session or `PATCH`; null when none. */
  metadata?: ConnectionMetadata | null;
}

/**
 * What the widget keeps after connecting: the connection id and a credential that only
 * authorises reads and disconnect of that one connection. Send it as
 * `Authorization: Bearer <credential>`.
 */
export interface ConnectionHandle {
  connectionId: string;
  credential: string;
}

/** Response of `GET /v1/connections/me`. */
export interface ConnectionResponse {
  connection: ConnectionView;
}

/** Response of `DELETE /v1/connections/me` and of the API's disconnect. */
export interface DisconnectResponse {
  disconnected: true;
  connectionId: string;
}

/** One media item (image, video or carousel) of a connected account. */
export interface MediaItem {
  id: string;
  caption: string | null;
  mediaType: "IMAGE" | "VIDEO" | "CAROUSEL_ALBUM";
  /** Signed, expiring CDN URL; omitted by Instagram for copyrighted material. */
  mediaUrl: string | null;
  permalink: string | null;
  thumbnailUrl: string | null;
  timestamp: string;
}

/** One page of media; pass `nextCursor` back as `after` for the next page. */
export interface MediaPage {
  items: MediaItem[];
  nextCursor: string | null;
}
