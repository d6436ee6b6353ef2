import type { ConnectionHandle, ConnectionView, InstagramScope } from "@instagram-connect/types";
import { BASIC_SCOPE } from "@instagram-connect/types";
import type { RelayConfig } from "../config/relay-config.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { coordinatorFor } from "../lifecycle/connection-coordinator.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { refreshDueDate } from "../storage/kv-keys.ts";
import { issueCredential, MAX_EARLIER_CREDENTIALS, newConnectionId } from "./connection-credential.ts";

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
 * consent started elsewhere never logs out a live widget (issue 13, S31).
 */
export async function connectAccount(
  config: RelayConfig,
  env: Env,
  code: string,
  requestedScopes: InstagramScope[],
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
  const existingId = await store.findByInstagramIds(profile.value.id, profile.value.userId);
  const previous = existingId ? await store.get(existingId) : null;
  const connectionId = previous?.connectionId ?? newConnectionId();
  const { credential, hash } = await issueCredential(config.vault.keys, connectionId);
  const nowMs = now();
  const expiresAtMs = nowMs + longLived.value.expiresInSeconds * 1000;
  const record: ConnectionRecord = await store.sealToken(
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
      ...(previous
        ? {
            earlierCredentialHashes: [
              previous.credentialHash,
              ...(previous.earlierCredentialHashes ?? []),
            ].slice(0, MAX_EARLIER_CREDENTIALS),
          }
        : {}),
      connectedAt: previous?.connectedAt ?? new Date(nowMs).toISOString(),
      updatedAt: new Date(nowMs).toISOString(),
    },
    longLived.value.accessToken,
  );
  // Written through the connection's coordinator so it cannot interleave with a refresh.
  await coordinatorFor(env, connectionId).saveConnection(record, previous !== null);
  logEvent("info", previous ? "connection_updated" : "connection_created", { connectionId });
  return ok({ handle: { connectionId, credential }, connection: toConnectionView(record, nowMs) });
}
