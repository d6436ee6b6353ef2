import type { ConnectionListResponse } from "@instagram-connect/types";
import { FailureError } from "../result.ts";
import { now } from "../runtime.ts";
import { toConnectionView } from "../storage/connection-record.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";

/**
 * One page of connections from a `conn:` prefix listing (KV's own cursor, passed through).
 * Cost is one list plus one read per connection on the page. KV lists are eventually
 * consistent: a connection made seconds ago may show up on a later call.
 */
export async function listConnections(
  kv: KVNamespace,
  store: ConnectionStore,
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
  const records = await Promise.all(ids.map((id) => store.get(id)));
  const nowMs = now();
  return {
    items: records.flatMap((record) => (record ? [toConnectionView(record, nowMs)] : [])),
    nextCursor: listed.list_complete ? null : listed.cursor,
  };
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
