import type { ConnectionListResponse } from "@instagram-connect/types";
import type { KeyRing } from "../crypto/keys.ts";
import { logEvent } from "../log.ts";
import { FailureError } from "../result.ts";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";

/**
 * One page of connections from a `conn:` prefix listing (KV's own cursor, passed through).
 * Cost is one list plus one read per connection on the page. KV lists are eventually
 * consistent: a connection made seconds ago may show up on a later call. A record that does
 * not parse, or whose read fails, is named in `unreadable` and the page carries on: one bad
 * record never breaks the listing for everyone.
 */
export async function listConnections(
  kv: KVNamespace,
  store: ConnectionStore,
  ring: KeyRing,
  page: { limit: number; cursor?: string | undefined },
): Promise<ConnectionListResponse> {
  const listed = await kvCursorRead(() =>
    kv.list({
      prefix: KV_PREFIXES.connection,
      limit: page.limit,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    }),
  );
  const ids = listed.keys.map((key) => key.name.slice(KV_PREFIXES.connection.length));
  const reads = await Promise.allSettled(ids.map((id) => store.read(id)));
  const nowMs = now();
  const items: ConnectionListResponse["items"] = [];
  const unreadable: string[] = [];
  reads.forEach((read, index) => {
    const id = ids[index] as string;
    if (read.status === "rejected") {
      logEvent("error", "connection_list_read_failed", {
        connectionId: id,
        name: read.reason instanceof Error ? read.reason.name : "unknown",
      });
      unreadable.push(id);
    } else if (read.value.state === "ok") items.push(toConnectionView(read.value.record, nowMs, ring));
    else if (read.value.state === "unreadable") unreadable.push(id);
  });
  return { items, unreadable, nextCursor: listed.list_complete ? null : listed.cursor };
}

/** Runs a KV list with a caller's cursor; KV refusing a cursor it did not issue is a 400, not a 500. */
export async function kvCursorRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new FailureError({
      code: "invalid_request",
      reason: `cursor_refused:${error instanceof Error ? error.name : "unknown"}`,
    });
  }
}
