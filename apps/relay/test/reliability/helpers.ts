import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { coordinatorFor } from "../../src/lifecycle/connection-coordinator.ts";

/** Every KV key name (all prefixes). */
export async function allKvKeys(): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.CONNECTIONS.list(cursor ? { cursor } : {});
    names.push(...page.keys.map((key) => key.name));
    if (page.list_complete) return names;
    cursor = page.cursor;
  }
}

/** Every key in the connection's coordinator storage. */
export async function coordinatorKeys(connectionId: string): Promise<string[]> {
  return runInDurableObject(coordinatorFor(env, connectionId), (_instance, state) =>
    [...state.storage.kv.list()].map(([key]) => key),
  );
}

/** Overwrites `conn:<id>` with raw text (a corrupt record). */
export async function corruptRecord(connectionId: string, raw: string): Promise<void> {
  await env.CONNECTIONS.put(`conn:${connectionId}`, raw);
}
