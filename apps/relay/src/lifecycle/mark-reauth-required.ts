import { now } from "../runtime.ts";
import { type ConnectionRecord, toConnectionView } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";

/**
 * Marks a connection `reauth_required` after a final failure (invalid, expired or revoked
 * token; basic scope withdrawn): the sealed token is dropped so no usable token is kept, the
 * due entry goes (nothing left to refresh), the record and its Instagram id indexes stay so
 * the widget shows "reconnect" and a new consent updates the same connection. Call it under
 * the connection's ConnectionCoordinator.
 */
export async function markReauthRequired(
  env: Env,
  store: ConnectionStore,
  record: ConnectionRecord,
  reason: string,
): Promise<ConnectionRecord> {
  const nowMs = now();
  const next: ConnectionRecord = {
    ...record,
    status: "reauth_required",
    accessToken: "",
    updatedAt: new Date(nowMs).toISOString(),
  };
  await store.put(next, record);
  await emitLifecycleEvent(
    env,
    { event: "reauth_required", connectionId: record.connectionId, reason },
    { connection: toConnectionView(next, nowMs) },
  );
  return next;
}
