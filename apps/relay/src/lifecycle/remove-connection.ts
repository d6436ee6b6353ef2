import { relayConfig } from "../config/relay-config.ts";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import { allIndexKeys, ConnectionStore, ownerIndexKeys } from "../storage/connection-store.ts";
import { removeFeedsOfConnection } from "../storage/feed-store.ts";
import { instagramIdKey, instagramUserIdKey, ownerKey, refreshDueKey } from "../storage/kv-keys.ts";
import { accountClaimFor } from "./account-claim.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";
import { purgeConnectionData } from "./purge-connection-data.ts";

/** Which audit event a removal records. */
export type RemovalEvent = "disconnected" | "deauthorized" | "deleted";

/** Outcome of a removal: false when nothing was stored (already gone). */
export interface RemovalResult {
  removed: boolean;
  connectionId: string;
}

/** Where else to look for the connection's keys besides its record. */
export interface RemovalHints {
  /** Index keys the coordinator's ledger remembers writing. */
  ownedKeys?: string[];
  /** Instagram ids named by the caller (Meta's `user_id`): their indexes go when they point here. */
  instagramIds?: string[];
}

/**
 * Deletes everything stored for the connection (`purgeConnectionData`), whether or not its
 * record still parses, then records the event (S24: after the change). Runs under the
 * connection's ConnectionCoordinator so an in-flight refresh cannot write the token back
 * afterwards. Its public feeds and their R2 image copies go with it (deletion stays total). Idempotent: a second call finds nothing and records nothing.
 */
export async function removeConnection(
  env: Env,
  connectionId: string,
  reason: string,
  event: RemovalEvent,
  hints: RemovalHints = {},
): Promise<RemovalResult> {
  const store = new ConnectionStore(env.CONNECTIONS, relayConfig(env));
  const stored = await store.read(connectionId);
  const keys = new Set(hints.ownedKeys ?? []);
  for (const id of hints.instagramIds ?? []) {
    keys.add(instagramIdKey(id));
    keys.add(instagramUserIdKey(id));
  }
  if (stored.state === "ok") {
    for (const key of await allIndexKeys(stored.record)) keys.add(key);
    // A reauth_required record has no due entry any more; delete the one it may have left.
    keys.add(refreshDueKey(stored.record.refreshDueDate, connectionId));
  } else if (stored.state === "unreadable") {
    for (const key of await salvageIndexKeys(stored.raw, connectionId)) keys.add(key);
  }
  // Release the one-live-connection claim of (account, owner) so the owner may connect again.
  const owner =
    stored.state === "ok" ? stored.record : stored.state === "unreadable" ? salvageOwner(stored.raw) : null;
  if (owner && (owner.endUserId != null || owner.origin != null)) {
    await accountClaimFor(env, owner.profile.userId, await ownerKey(owner)).release(connectionId);
  }
  const purged = await purgeConnectionData(env, {
    connectionId,
    indexKeys: [...keys],
    // Without a readable record or a ledger, the due entry's date is unknown: search for it.
    searchDueIndex: stored.state !== "ok" && ![...keys].some((key) => key.startsWith("due:")),
  });
  if (stored.state === "missing" && purged === 0) return { removed: false, connectionId };
  // Its public feeds and their R2 image copies go with it (deletion stays total).
  await removeFeedsOfConnection(env, connectionId);
  await emitLifecycleEvent(
    env,
    { event, connectionId, reason: stored.state === "unreadable" ? `${reason}:unreadable_record` : reason },
    { connection: stored.state === "ok" ? toConnectionView(stored.record, now()) : null },
  );
  return { removed: true, connectionId };
}

/** Owner fields of an unreadable record, when they still parse. */
function salvageOwner(
  raw: string,
): { profile: { userId: string }; endUserId?: string | null; origin?: string | null } | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const fields = value as { profile?: { userId?: unknown }; endUserId?: unknown; origin?: unknown };
  if (typeof fields.profile?.userId !== "string") return null;
  return {
    profile: { userId: fields.profile.userId },
    endUserId: typeof fields.endUserId === "string" ? fields.endUserId : null,
    origin: typeof fields.origin === "string" ? fields.origin : null,
  };
}

/** Index keys named by whatever fields of an unreadable record still parse. */
async function salvageIndexKeys(raw: string, connectionId: string): Promise<string[]> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [];
  }
  if (typeof value !== "object" || value === null) return [];
  const fields = value as { profile?: { id?: unknown; userId?: unknown }; refreshDueDate?: unknown };
  const keys: string[] = [];
  if (typeof fields.profile?.id === "string") keys.push(instagramIdKey(fields.profile.id));
  if (typeof fields.profile?.userId === "string") keys.push(instagramUserIdKey(fields.profile.userId));
  if (typeof fields.refreshDueDate === "string")
    keys.push(refreshDueKey(fields.refreshDueDate, connectionId));
  const owner = salvageOwner(raw);
  if (owner) keys.push(...(await ownerIndexKeys({ connectionId, ...owner })));
  return keys;
}
