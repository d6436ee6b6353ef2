import type { InstagramWebhookChange, OwnerFields, WebhookEventData } from "@instagram-connect/types";
import * as z from "zod/mini";
import { FEATURE_SCOPES } from "../config/feature-scopes.ts";
import type { RelayConfig } from "../config/relay-config.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import {
  connectionKey,
  INSTAGRAM_WEBHOOK_SEEN_TTL_S,
  instagramIdKey,
  instagramUserIdKey,
  instagramWebhookSeenKey,
} from "../storage/kv-keys.ts";
import { emitWebhook } from "../webhooks/emit-webhook.ts";

/** Fields forwarded to the app, and the event each becomes. */
const FORWARDED: Readonly<Record<string, "instagram.comment">> = {
  comments: "instagram.comment",
  live_comments: "instagram.comment",
};

const changeSchema = z.object({ field: z.string(), value: z.record(z.string(), z.unknown()) });
// Meta documents entry[].changes[]; one of its examples prints field/value flat in the entry: accept both.
const entrySchema = z.object({
  id: z.union([z.string(), z.number()]),
  time: z.optional(z.number()),
  changes: z.optional(z.array(changeSchema)),
  field: z.optional(z.string()),
  value: z.optional(z.record(z.string(), z.unknown())),
});
const payloadSchema = z.object({ object: z.string(), entry: z.array(entrySchema) });
const fromSchema = z.object({ id: z.optional(z.string()), self_ig_scoped_id: z.optional(z.string()) });
const commentValueSchema = z.object({
  id: z.string(),
  text: z.optional(z.string()),
  parent_id: z.optional(z.string()),
  from: z.optional(z.object({ id: z.optional(z.string()), username: z.optional(z.string()) })),
  media: z.optional(z.object({ id: z.optional(z.string()), media_product_type: z.optional(z.string()) })),
});

/** What one delivery led to (logged; never returned to Meta). */
export interface FanOutOutcome {
  forwarded: number;
  unknownAccounts: number;
  skipped: number;
}

/**
 * Maps each entry to its connection by Instagram user id (`iguser:` / `igid:` indexes) and
 * queues an `instagram.comment` webhook per comment change, with the connection's owner
 * fields when its record has them. Unknown accounts, other fields, the account's own comments
 * (reply loops), repeats of a comment id and connections without the comments feature are
 * skipped. Never throws for a well-signed payload of an unexpected shape: it is skipped.
 */
export async function fanOutInstagramWebhook(
  env: Env,
  config: RelayConfig,
  payload: unknown,
): Promise<FanOutOutcome> {
  const outcome: FanOutOutcome = { forwarded: 0, unknownAccounts: 0, skipped: 0 };
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success || parsed.data.object !== "instagram") return { ...outcome, skipped: 1 };
  const store = coordinatedStore(env, config);
  for (const entry of parsed.data.entry) {
    const igId = String(entry.id);
    const connectionId =
      (await env.CONNECTIONS.get(instagramUserIdKey(igId))) ??
      (await env.CONNECTIONS.get(instagramIdKey(igId)));
    const record = connectionId ? await store.get(connectionId) : null;
    if (!record) {
      outcome.unknownAccounts++;
      continue;
    }
    const changes =
      entry.changes ?? (entry.field && entry.value ? [{ field: entry.field, value: entry.value }] : []);
    for (const change of changes) {
      const type = FORWARDED[change.field];
      const from = fromSchema.safeParse(change.value.from);
      const own = from.success && (from.data.self_ig_scoped_id !== undefined || from.data.id === igId);
      const enabled =
        config.actions.features.includes("comments") && record.scopes.includes(FEATURE_SCOPES.comments);
      const value = commentValueSchema.safeParse(change.value);
      if (
        !type ||
        own ||
        !enabled ||
        !value.success ||
        !(await firstSighting(env, record.connectionId, value.data.id))
      ) {
        outcome.skipped++;
        continue;
      }
      const instagram: InstagramWebhookChange = {
        field: change.field,
        time: entry.time ?? null,
        value: value.data,
      };
      const data: WebhookEventData = {
        connectionId: record.connectionId,
        instagramUserId: record.profile.userId,
        username: record.profile.username,
        instagram,
      };
      const owner = await ownerFields(env, record.connectionId);
      if (owner) data.owner = owner;
      await emitWebhook(env, type, data);
      outcome.forwarded++;
    }
  }
  return outcome;
}

/** Meta retries deliveries for 36 h: a comment id already forwarded is not forwarded again (best effort: KV). */
async function firstSighting(env: Env, connectionId: string, commentId: string): Promise<boolean> {
  const key = instagramWebhookSeenKey(connectionId, commentId);
  if ((await env.CONNECTIONS.get(key)) !== null) return false;
  await env.CONNECTIONS.put(key, "1", { expirationTtl: INSTAGRAM_WEBHOOK_SEEN_TTL_S });
  return true;
}

/**
 * The record's owner fields (`owner*` / `endUser*`, e.g. an end user id set by connect
 * sessions), read from the stored JSON as-is so fields added to records later pass through.
 */
async function ownerFields(env: Env, connectionId: string): Promise<OwnerFields | null> {
  const raw = await env.CONNECTIONS.get<Record<string, unknown>>(connectionKey(connectionId), "json");
  if (!raw || typeof raw !== "object") return null;
  const entries = Object.entries(raw).filter(
    (entry): entry is [string, string | number | boolean | null] =>
      /^(owner|endUser)/.test(entry[0]) &&
      (entry[1] === null || ["string", "number", "boolean"].includes(typeof entry[1])),
  );
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}
