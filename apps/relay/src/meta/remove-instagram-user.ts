import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import type { RemovalEvent } from "../lifecycle/remove-connection.ts";
import {
  accountOwnersPrefix,
  connectionKey,
  instagramIdKey,
  instagramUserIdKey,
} from "../storage/kv-keys.ts";

/**
 * Deletes everything stored for one Instagram account named by Meta. Which id Meta sends is
 * not documented, so it is matched against both indexes (app-scoped and professional id).
 * Returns the connection ids that were removed (empty when nothing was stored).
 */
export async function removeInstagramUser(
  env: Pick<Env, "CONNECTIONS" | "CONNECTION_COORDINATOR">,
  instagramId: string,
  event: RemovalEvent,
  reason: string,
): Promise<string[]> {
  const [byAppScopedId, byUserId] = await Promise.all([
    env.CONNECTIONS.get(instagramIdKey(instagramId)),
    env.CONNECTIONS.get(instagramUserIdKey(instagramId)),
  ]);
  // Each owner (end user or site) of the account has its own connection, indexed under the
  // professional id (`acct:<user_id>:`). When Meta names the app-scoped id, the professional id
  // is read from the indexed record, so the other owners' connections go too.
  const indexed = [byAppScopedId, byUserId].filter((id): id is string => id !== null);
  const professionalIds = new Set([instagramId, ...(await professionalIdsOf(env, indexed))]);
  const owned = await Promise.all(
    [...professionalIds].map((userId) => env.CONNECTIONS.list({ prefix: accountOwnersPrefix(userId) })),
  );
  const ownedIds = await Promise.all(
    owned.flatMap((page) => page.keys).map((key) => env.CONNECTIONS.get(key.name)),
  );
  const connectionIds = [...new Set([...indexed, ...ownedIds].filter((id): id is string => id !== null))];
  const removed: string[] = [];
  for (const connectionId of connectionIds) {
    // The named id is passed along: its index goes even when the record no longer parses.
    const result = await disconnectConnection(env, connectionId, reason, {
      event,
      instagramIds: [instagramId],
    });
    if (result.removed) removed.push(connectionId);
  }
  return removed;
}

/** The professional `user_id` of each record (a record that does not parse adds nothing). */
async function professionalIdsOf(env: Pick<Env, "CONNECTIONS">, connectionIds: string[]): Promise<string[]> {
  const records = await Promise.all(
    connectionIds.map((id) => env.CONNECTIONS.get<unknown>(connectionKey(id), "json").catch(() => null)),
  );
  return records.flatMap((record) => {
    const userId = (record as { profile?: { userId?: unknown } } | null)?.profile?.userId;
    return typeof userId === "string" ? [userId] : [];
  });
}
