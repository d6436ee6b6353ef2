import { API_OPERATIONS, type ApiKeyView, type ApiOperation } from "@instagram-connect/types";
import * as z from "zod/mini";
import { logEvent } from "../log.ts";
import { now } from "../runtime.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";
import { forgetApiKey } from "./api-key-cache.ts";
import { apiKeyKvKey, generateApiKey, hashApiKey } from "./api-key-format.ts";

/** Schema of the JSON stored at `apikey:<keyId>` (validated on every read). */
export const apiKeyRecordSchema = z.object({
  v: z.literal(1),
  keyId: z.string(),
  name: z.string(),
  operations: z.array(z.enum(API_OPERATIONS)),
  /** `sha256:<hex>` of the whole key; the key itself is never stored. */
  hash: z.string(),
  createdAt: z.string(),
  revoked: z.boolean(),
  revokedAt: z.optional(z.nullable(z.string())),
});

/** One stored API key (its hash, never the key). */
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

/** The record, or null when absent or unreadable (logged). */
export async function readApiKey(kv: KVNamespace, keyId: string): Promise<ApiKeyRecord | null> {
  const raw = await kv.get(apiKeyKvKey(keyId), "json");
  if (raw === null) return null;
  const parsed = apiKeyRecordSchema.safeParse(raw);
  if (!parsed.success || parsed.data.keyId !== keyId) {
    logEvent("error", "api_key_record_invalid", { keyId });
    return null;
  }
  return parsed.data;
}

/**
 * Creates a key and stores only its hash; returns the key (show it once). What the
 * `api-key create` command does through `wrangler kv key put`; tests call it directly.
 * @example
 * const { apiKey } = await createApiKey(env.CONNECTIONS, { name: "analytics", operations: ["connections:read"] });
 */
export async function createApiKey(
  kv: KVNamespace,
  input: { name: string; operations: readonly ApiOperation[] },
): Promise<{ apiKey: string; record: ApiKeyRecord }> {
  const { keyId, apiKey } = generateApiKey();
  const record: ApiKeyRecord = {
    v: 1,
    keyId,
    name: input.name,
    operations: [...new Set(input.operations)],
    hash: await hashApiKey(apiKey),
    createdAt: new Date(now()).toISOString(),
    revoked: false,
    revokedAt: null,
  };
  await kv.put(apiKeyKvKey(keyId), JSON.stringify(record));
  return { apiKey, record };
}

/**
 * Marks a key revoked (kept for the record; revoking twice keeps the first time). Null when no
 * such key. Other locations see it within KV's propagation lag (about 60 s).
 */
export async function revokeApiKey(kv: KVNamespace, keyId: string): Promise<ApiKeyRecord | null> {
  const record = await readApiKey(kv, keyId);
  if (!record) return null;
  if (record.revoked) return record;
  const revoked: ApiKeyRecord = { ...record, revoked: true, revokedAt: new Date(now()).toISOString() };
  await kv.put(apiKeyKvKey(keyId), JSON.stringify(revoked));
  forgetApiKey(keyId);
  return revoked;
}

/** What an operator may see of a key: never the key, never its hash. */
export function toApiKeyView(record: ApiKeyRecord): ApiKeyView {
  return {
    keyId: record.keyId,
    name: record.name,
    operations: record.operations,
    createdAt: record.createdAt,
    revoked: record.revoked,
    revokedAt: record.revokedAt ?? null,
  };
}

/**
 * One page of keys from an `apikey:` prefix listing (KV's own cursor, passed through). KV
 * lists are eventually consistent: a key made seconds ago may show up on a later call.
 */
export async function listApiKeys(
  kv: KVNamespace,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: ApiKeyView[]; nextCursor: string | null }> {
  const listed = await kv.list({
    prefix: KV_PREFIXES.apiKey,
    limit: page.limit,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
  const records = await Promise.all(
    listed.keys.map((key) => readApiKey(kv, key.name.slice(KV_PREFIXES.apiKey.length))),
  );
  return {
    items: records.flatMap((record) => (record ? [toApiKeyView(record)] : [])),
    nextCursor: listed.list_complete ? null : listed.cursor,
  };
}
