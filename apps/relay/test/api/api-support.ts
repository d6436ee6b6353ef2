import { env } from "cloudflare:workers";
import type { FakeInstagram } from "@instagram-connect/fake-instagram";
import type { ApiOperation } from "@instagram-connect/types";
import { API_OPERATIONS } from "@instagram-connect/types";
import { createApiKey, revokeApiKey } from "../../src/api/api-key-store.ts";
import { connectPopup } from "../support/flow.ts";
import { registerSecret } from "../support/leak-collector.ts";
import { type RelayResponse, relayFetch } from "../support/relay.ts";

/** Creates a key in KV (as `api-key create` does) with the given operations; all by default. */
export async function newApiKey(operations: readonly ApiOperation[] = API_OPERATIONS): Promise<string> {
  const { apiKey } = await createApiKey(env.CONNECTIONS, { name: "test", operations });
  registerSecret(apiKey);
  return apiKey;
}

/** Creates a key and revokes it; returns the (now useless) key. */
export async function revokedApiKey(): Promise<string> {
  const { apiKey, record } = await createApiKey(env.CONNECTIONS, {
    name: "revoked",
    operations: API_OPERATIONS,
  });
  registerSecret(apiKey);
  await revokeApiKey(env.CONNECTIONS, record.keyId);
  return apiKey;
}

/** Calls the relay with `Authorization: Bearer <apiKey>` (no header when apiKey is null). */
export function apiFetch(
  path: string,
  apiKey: string | null,
  init: RequestInit = {},
): Promise<RelayResponse> {
  const headers = new Headers(init.headers);
  if (apiKey !== null) headers.set("Authorization", `Bearer ${apiKey}`);
  return relayFetch(path, { ...init, headers });
}

/** Connects a fake user through the real consent flow; returns its connection id and widget credential. */
export async function connectUser(
  fake: FakeInstagram,
  userId?: string,
): Promise<{ connectionId: string; credential: string }> {
  const message = await connectPopup(fake, userId);
  if (!message.result.ok) throw new Error(`connect failed: ${message.result.error.code}`);
  return message.result.handle;
}

/** A fresh, well-formed connection id that names no connection. */
export const UNKNOWN_CONNECTION = "conn_AAAAAAAAAAAAAAAAAAAAAA";
