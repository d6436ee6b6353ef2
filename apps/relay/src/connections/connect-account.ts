import type {
  ConnectionHandle,
  ConnectionMetadata,
  ConnectionView,
  InstagramScope,
} from "@instagram-connect/types";
import { BASIC_SCOPE } from "@instagram-connect/types";
import type { RelayConfig } from "../config/relay-config.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { accountClaimFor } from "../lifecycle/account-claim.ts";
import { coordinatorFor } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import type { ConnectionRecord } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { ownerKey, refreshDueDate } from "../storage/kv-keys.ts";
import { issueCredential, newConnectionId } from "./connection-credential.ts";

/** Who the consent is for: the session's end user, else the site origin (anonymous connect). */
export interface ConsentOwner {
  origin: string;
  endUserId: string | null;
  sessionId: string | null;
  metadata: ConnectionMetadata | null;
  /** A reconnect session's connection: the consent must be for the same Instagram account. */
  reconnectConnectionId: string | null;
}

/** A stored connection and the credential just issued for it. */
export interface ConnectedAccount {
  handle: ConnectionHandle;
  connection: ConnectionView;
}

/**
 * Turns an authorization code into a stored connection: exchange, long-lived upgrade,
 * profile, then one write. Any upstream failure returns before anything is stored.
 * Reconnecting the same Instagram account updates its record (same connection id) and
 * issues a new credential; the earlier ones stay valid (up to MAX_EARLIER_CREDENTIALS), so a
 * consent started elsewhere never logs out a live widget (issue 13, S31). After Instagram, a
 * returning account costs two round trips: its claim, then the coordinator's write, which
 * merges with the stored record itself (`withEarlierConsent`; issue 17 goal 6).
 */
export async function connectAccount(
  config: RelayConfig,
  env: Env,
  code: string,
  requestedScopes: InstagramScope[],
  owner: ConsentOwner,
): Promise<Result<ConnectedAccount>> {
  const instagram = new InstagramClient(config);
  const grant = await instagram.exchangeCode(code);
  if (!grant.ok) return grant;
  const scopes = grant.value.grantedScopes ?? requestedScopes;
  if (!scopes.includes(BASIC_SCOPE))
    return fail({ code: "permission_missing", reason: "basic_scope_not_granted" });
  const longLived = await instagram.upgradeToken(grant.value.accessToken);
  if (!longLived.ok) return longLived;
  const profile = await instagram.fetchProfile(longLived.value.accessToken);
  if (!profile.ok) return profile;

  const store = new ConnectionStore(env.CONNECTIONS, config);
  if (owner.reconnectConnectionId !== null) {
    // A reconnect link must not attach whoever is signed in to Instagram (prior-art 1.7).
    const target = await store.get(owner.reconnectConnectionId);
    if (target?.profile.userId !== profile.value.userId || (target.endUserId ?? null) !== owner.endUserId) {
      return fail({ code: "account_mismatch", reason: "reconnect_other_account" });
    }
  }
  const connectionId = await claimConnectionId(env, store, profile.value, owner);
  const { credential, hash } = await issueCredential(config.vault.keys, connectionId);
  const nowMs = now();
  const expiresAtMs = nowMs + longLived.value.expiresInSeconds * 1000;
  const fresh: ConnectionRecord = await store.sealToken(
    {
      v: 1,
      connectionId,
      status: "active",
      profile: profile.value,
      scopes,
      tokenIssuedAt: new Date(nowMs).toISOString(),
      tokenExpiresAt: new Date(expiresAtMs).toISOString(),
      refreshDueDate: refreshDueDate(expiresAtMs),
      credentialHash: hash,
      connectedAt: new Date(nowMs).toISOString(),
      updatedAt: new Date(nowMs).toISOString(),
      endUserId: owner.endUserId,
      origin: owner.origin,
      sessionId: owner.sessionId,
      metadata: owner.metadata,
    },
    longLived.value.accessToken,
  );
  // Written through the connection's coordinator so it cannot interleave with a refresh.
  const saved = await coordinatorFor(env, connectionId).saveConnection(fresh);
  logEvent("info", saved.reconnected ? "connection_updated" : "connection_created", { connectionId });
  return ok({ handle: { connectionId, credential }, connection: saved.connection });
}

/**
 * The connection id of this (account, owner) pair from its AccountClaim. An anonymous owner's
 * pair with no claim yet may have a record made before connect sessions (no owner fields): it
 * is claimed, so upgrading keeps one connection; otherwise a new id is. A pair already claimed
 * (every returning account) costs one call.
 */
async function claimConnectionId(
  env: Env,
  store: ConnectionStore,
  profile: { id: string; userId: string },
  owner: ConsentOwner,
): Promise<string> {
  const claim = accountClaimFor(env, profile.userId, await ownerKey(owner));
  if (owner.endUserId !== null) return claim.claim(newConnectionId());
  const claimed = await claim.claimed();
  if (claimed !== null) return claimed;
  const existingId = await store.findByInstagramIds(profile.id, profile.userId);
  const existing = existingId ? await store.get(existingId) : null;
  const sameOwner =
    existing && existing.endUserId == null && (existing.origin ?? owner.origin) === owner.origin;
  return claim.claim(sameOwner ? existing.connectionId : newConnectionId());
}
