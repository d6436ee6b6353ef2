import { disconnectConnection } from "../lifecycle/disconnect-connection.ts";
import type { RemovalEvent } from "../lifecycle/remove-connection.ts";
import { accountOwnersPrefix, instagramIdKey, instagramUserIdKey } from "../storage/kv-keys.ts";

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
  // Each owner (end user or site) of the account has its own connection: remove all of them.
  const owned = await env.CONNECTIONS.list({ prefix: accountOwnersPrefix(instagramId) });
  const ownedIds = await Promise.all(owned.keys.map((key) => env.CONNECTIONS.get(key.name)));
  const connectionIds = [
    ...new Set([byAppScopedId, byUserId, ...ownedIds].filter((id): id is string => id !== null)),
  ];
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
