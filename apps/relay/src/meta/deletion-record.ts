import type { DeletionStatusResponse } from "@instagram-connect/types";
import * as z from "zod/mini";
import { DELETION_RECORD_TTL_S, deletionKey } from "../storage/kv-keys.ts";

const recordSchema = z.object({
  v: z.literal(1),
  confirmationCode: z.string(),
  status: z.literal("completed"),
  dataFound: z.boolean(),
  requestedAt: z.string(),
  completedAt: z.string(),
});

/** A confirmation code as the relay issues them: 128 random bits, base64url. */
export const CONFIRMATION_CODE = /^[A-Za-z0-9_-]{22}$/;

/**
 * Stores the state of a data-deletion request under its confirmation code (`deletion:<code>`,
 * TTL 400 days). Holds no Instagram id, username or connection id: only whether data was found.
 */
export async function saveDeletionRecord(kv: KVNamespace, status: DeletionStatusResponse): Promise<void> {
  await kv.put(deletionKey(status.confirmationCode), JSON.stringify({ v: 1, ...status }), {
    expirationTtl: DELETION_RECORD_TTL_S,
  });
}

/** The state for a code, or null when the code is unknown, malformed or expired. */
export async function readDeletionRecord(
  kv: KVNamespace,
  confirmationCode: string,
): Promise<DeletionStatusResponse | null> {
  if (!CONFIRMATION_CODE.test(confirmationCode)) return null;
  const parsed = recordSchema.safeParse(await kv.get(deletionKey(confirmationCode), "json"));
  if (!parsed.success) return null;
  const { v: _v, ...status } = parsed.data;
  return status;
}
