import { relayConfig } from "../config/relay-config.ts";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { ownerKey } from "../storage/kv-keys.ts";
import { accountClaimFor } from "./account-claim.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";

/** Which audit event a removal records. */
export type RemovalEvent = "disconnected" | "deauthorized" | "deleted";

/** Outcome of a removal: false when nothing was stored (already gone). */
export interface RemovalResult {
  removed: boolean;
  connectionId: string;
}

/**
 * Deletes the connection record (sealed token and credential hash with it), every index
 * entry pointing at it (both Instagram ids, refresh due entry) and its cached Instagram reads,
 * then records the event. Runs
 * under the connection's ConnectionCoordinator so an in-flight refresh cannot write the
 * token back afterwards. Idempotent: a second call finds nothing and records nothing.
 */
export async function removeConnection(
  env: Env,
  connectionId: string,
  reason: string,
  event: RemovalEvent,
): Promise<RemovalResult> {
  const store = new ConnectionStore(env.CONNECTIONS, relayConfig(env));
  const record = await store.get(connectionId);
  if (!record) return { removed: false, connectionId };
  await store.delete(record);
  if (record.endUserId != null || record.origin != null) {
    await accountClaimFor(env, record.profile.userId, await ownerKey(record)).release(connectionId);
  }
  // Cached profile/media reads are personal data too (Meta data deletion included).
  await store.purgeReads(connectionId);
  await emitLifecycleEvent(
    env,
    { event, connectionId, reason },
    { connection: toConnectionView(record, now()) },
  );
  return { removed: true, connectionId };
}
