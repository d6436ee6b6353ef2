import { logEvent } from "../log.ts";
import { connectionKey, KV_PREFIXES, parseRefreshDueKey, readCachePrefix } from "../storage/kv-keys.ts";
import { usageCounterName } from "../usage/usage-counter.ts";

/** What to delete for one connection. */
export interface PurgeTarget {
  connectionId: string;
  /** `igid:`, `iguser:` and `due:` keys that may belong to it (index keys pointing elsewhere are kept). */
  indexKeys: string[];
  /** Also walk the `due:` index for entries of this connection (their date is unknown). */
  searchDueIndex?: boolean;
}

/**
 * The one function that deletes a connection's data, used by every removal (widget and API
 * disconnect, Meta deauthorize and data deletion, through `removeConnection` in the
 * connection's coordinator). Deletes the record (sealed token, credential hash), each index
 * entry that still points at the connection, its refresh due entries and its cached Instagram
 * reads, its dead-lettered webhooks and its usage counters. The audit trail (`audit:`) is kept on purpose (STORAGE.md). A store that starts
 * holding per-connection data (e.g. R2 feed media under `feeds/`) adds its deletion here.
 * Returns how many keys it deleted.
 *
 * @example
 * await purgeConnectionData(env, { connectionId, indexKeys: ["igid:1789..."] });
 */
export async function purgeConnectionData(
  env: Pick<Env, "CONNECTIONS" | "WEBHOOK_OUTBOX" | "USAGE_COUNTERS">,
  target: PurgeTarget,
): Promise<number> {
  const kv = env.CONNECTIONS;
  const { connectionId } = target;
  let deleted = 0;
  const remove = async (key: string) => {
    await kv.delete(key);
    deleted++;
  };
  const record = connectionKey(connectionId);
  if ((await kv.get(record)) !== null) await remove(record);
  await Promise.all(
    [...new Set(target.indexKeys)].map(async (key) => {
      if ((await kv.get(key)) === connectionId) await remove(key);
    }),
  );
  if (target.searchDueIndex) {
    await forEachKey(kv, KV_PREFIXES.refreshDue, async (key) => {
      if (parseRefreshDueKey(key)?.connectionId === connectionId) await remove(key);
    });
  }
  await forEachKey(kv, readCachePrefix(connectionId), remove);
  // Undelivered webhook bodies name the account (username, Instagram id).
  deleted += await env.WEBHOOK_OUTBOX.getByName(connectionId).purgeDeadLetters();
  // Usage counters name the countries its user came from. A counter store that cannot be reached
  // must not fail the removal (monitoring never fails a request): logged, counts kept.
  await env.USAGE_COUNTERS.getByName(usageCounterName({ type: "connection", id: connectionId }))
    .purge()
    .catch((error: unknown) =>
      logEvent("error", "usage.purge_failed", {
        connectionId,
        error: error instanceof Error ? error.name : typeof error,
      }),
    );
  return deleted;
}

async function forEachKey(
  kv: KVNamespace,
  prefix: string,
  act: (key: string) => Promise<void>,
): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor ? { prefix, cursor } : { prefix });
    await Promise.all(page.keys.map((key) => act(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}
