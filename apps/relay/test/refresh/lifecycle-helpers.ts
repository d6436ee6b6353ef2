import { env } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type { ConnectionHandle, ConnectionResponse } from "@instagram-connect/types";
import { beforeEach } from "vitest";
import { listAuditEvents } from "../../src/audit/audit-trail.ts";
import { loadConfig } from "../../src/config/relay-config.ts";
import type { ConnectionRecord } from "../../src/storage/connection-record.ts";
import { ConnectionStore } from "../../src/storage/connection-store.ts";
import { connectPopup } from "../support/flow.ts";
import { relayFetch, SITE } from "../support/relay.ts";

/** One day in ms. */
export const DAY_MS = 86_400_000;

/**
 * A fixed start for the fake (and relay) clock: 09:00 UTC tomorrow. Fixed so that times can
 * be compared exactly; in the future so KV accepts the absolute expirations derived from it.
 */
export const T0 = (Math.floor(Date.now() / DAY_MS) + 1) * DAY_MS + 9 * 3_600_000;

/**
 * Empties the KV namespace before each test of the file (storage is shared between the tests
 * of one file), so sweeps and key listings see only what the test itself stored.
 */
export function useEmptyKv(): void {
  beforeEach(async () => {
    for (;;) {
      const page = await env.CONNECTIONS.list();
      await Promise.all(page.keys.map((key) => env.CONNECTIONS.delete(key.name)));
      if (page.list_complete) break;
    }
  });
}

/** Connects a fake user through the real popup flow; returns the widget's handle. */
export async function connectUser(fake: FakeInstagram, userId?: string): Promise<ConnectionHandle> {
  const message = await connectPopup(fake, userId);
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result.handle;
}

/** The test env's connection store. */
/** Connects the two seeded accounts plus a third one added for the test, in that order. */
export async function connectThreeUsers(fake: FakeInstagram): Promise<ConnectionHandle[]> {
  fake.addUser({ username: "third.user" });
  return [
    await connectUser(fake, "jane.doe"),
    await connectUser(fake, "max.creator"),
    await connectUser(fake, "third.user"),
  ];
}

export function testStore(): ConnectionStore {
  const config = loadConfig(env);
  if (!config.ok) throw new Error("test config invalid");
  return new ConnectionStore(env.CONNECTIONS, config.value);
}

/** The stored record (throws when absent). */
export async function storedRecord(connectionId: string): Promise<ConnectionRecord> {
  const record = await testStore().get(connectionId);
  if (!record) throw new Error(`no record for ${connectionId}`);
  return record;
}

/** GET /v1/connections/me as the widget. */
export async function readMe(handle: ConnectionHandle) {
  return relayFetch("/v1/connections/me", {
    headers: { Authorization: `Bearer ${handle.credential}`, Origin: SITE },
  });
}

/** The connection's status as the widget sees it. */
export async function widgetStatus(handle: ConnectionHandle): Promise<string> {
  const me = await readMe(handle);
  if (me.status !== 200) return `http_${me.status}`;
  return me.json<ConnectionResponse>().connection.status;
}

/** Names of the connection's audit events, oldest first. */
export async function auditNames(connectionId: string): Promise<string[]> {
  const page = await listAuditEvents(env, connectionId, { limit: 100 });
  return page.items.map((item) => item.event).reverse();
}

/** Every KV key name that mentions `connectionId` or one of `ids`. */
export async function keysMentioning(...ids: string[]): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await env.CONNECTIONS.list(cursor ? { cursor } : {});
    names.push(...page.keys.map((key) => key.name));
    if (page.list_complete) break;
    cursor = page.cursor;
  }
  return names.filter((name) => ids.some((id) => name.includes(id)));
}

/** KV method calls seen through a counting wrapper. */
export type KvCounts = Record<"get" | "getWithMetadata" | "put" | "delete" | "list", number>;

/** Wraps a KV binding so every call is counted, each `get`'s key kept (and calls optionally made to fail). */
export function countingKv(
  kv: KVNamespace,
  failWhen: (method: keyof KvCounts, key: unknown) => boolean = () => false,
): { kv: KVNamespace; counts: KvCounts; gets: string[] } {
  const counts: KvCounts = { get: 0, getWithMetadata: 0, put: 0, delete: 0, list: 0 };
  const gets: string[] = [];
  const wrapped = new Proxy(kv, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function" || !(property in counts)) return value;
      const method = property as keyof KvCounts;
      return (...args: unknown[]) => {
        counts[method]++;
        if (method === "get") gets.push(String(args[0]));
        if (failWhen(method, args[0])) return Promise.reject(new Error("injected KV failure"));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv: wrapped, counts, gets };
}

/** The test env with some bindings or vars replaced. */
export function envWith(overrides: Partial<Record<keyof Env, unknown>>): Env {
  return { ...(env as unknown as Record<string, unknown>), ...overrides } as unknown as Env;
}
