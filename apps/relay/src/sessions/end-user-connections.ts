import type { ConnectionView } from "@instagram-connect/types";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";

/**
 * One end user's connections, newest first. The `enduser:` index only nominates: each record is
 * re-read and kept only when it still names this end user (a stale or colliding index entry can
 * never show another user's connection).
 */
export async function listEndUserConnections(
  store: ConnectionStore,
  endUserId: string,
): Promise<ConnectionView[]> {
  const ids = await store.listEndUserConnectionIds(endUserId);
  const records = await Promise.all(ids.map((id) => store.get(id)));
  const nowMs = now();
  return records
    .flatMap((record) => (record && record.endUserId === endUserId ? [toConnectionView(record, nowMs)] : []))
    .sort((a, b) => b.connectedAt.localeCompare(a.connectedAt));
}
