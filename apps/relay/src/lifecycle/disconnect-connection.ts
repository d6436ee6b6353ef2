import { forgetCredential } from "../storage/credential-cache.ts";
import { coordinatorFor } from "./connection-coordinator.ts";
import type { RemovalEvent, RemovalResult } from "./remove-connection.ts";

/**
 * The one way to end a connection (widget disconnect, API disconnect, Meta deauthorize and
 * data deletion): deletes the token, the credential and every index through the connection's
 * coordinator (`purgeConnectionData`, whether or not the record parses), records `disconnected` (or `event`) in the audit trail and notifies lifecycle
 * listeners. Idempotent: `removed` is false when nothing was stored. No remote revoke:
 * Instagram documents no revocation endpoint for Instagram Login tokens.
 *
 * @example
 * await disconnectConnection(env, connectionId, "user_disconnected");
 */
export function disconnectConnection(
  env: Pick<Env, "CONNECTION_COORDINATOR">,
  connectionId: string,
  reason: string,
  options: { event?: RemovalEvent; instagramIds?: string[] } = {},
): Promise<RemovalResult> {
  // This isolate refuses the credential at once, also against a read racing the removal.
  forgetCredential(connectionId);
  return coordinatorFor(env, connectionId)
    .remove(connectionId, reason, options.event ?? "disconnected", options.instagramIds ?? [])
    .finally(() => forgetCredential(connectionId));
}
