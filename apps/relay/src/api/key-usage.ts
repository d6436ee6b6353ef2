import type { KeyUsageResponse } from "@instagram-connect/types";
import type { KeyRing } from "../crypto/keys.ts";
import { sealedKid } from "../crypto/token-vault.ts";
import type { ConnectionStore } from "../storage/connection-store.ts";
import { KV_PREFIXES } from "../storage/kv-keys.ts";
import { kvCursorRead } from "./connection-list.ts";

/**
 * One page of connection records counted per key id for every field sealed or hashed with a
 * root key: `accessToken` (AES-GCM, `v1.<kid>.`) and `credentialHash` (HMAC, `<kid>:`). Both
 * are rewritten under the newest key on use, through the connection's coordinator (S20). A kid
 * that no page of a full pass counts can be retired without a single 401 (STORAGE.md, "Key
 * rotation"). Read-only: one list plus one read per record.
 */
export async function keyUsage(
  kv: KVNamespace,
  store: ConnectionStore,
  ring: KeyRing,
  page: { limit: number; cursor?: string | undefined },
): Promise<KeyUsageResponse> {
  const listed = await kvCursorRead(() =>
    kv.list({
      prefix: KV_PREFIXES.connection,
      limit: page.limit,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    }),
  );
  const reads = await Promise.allSettled(
    listed.keys.map((key) => store.read(key.name.slice(KV_PREFIXES.connection.length))),
  );
  const report: KeyUsageResponse = {
    keys: ring.kids,
    fields: { accessToken: {}, credentialHash: {} },
    unreadable: 0,
    scanned: reads.length,
    nextCursor: listed.list_complete ? null : listed.cursor,
  };
  const count = (field: keyof KeyUsageResponse["fields"], kid: string | null) => {
    if (kid) report.fields[field][kid] = (report.fields[field][kid] ?? 0) + 1;
  };
  for (const read of reads) {
    if (read.status === "rejected" || read.value.state !== "ok") {
      if (read.status === "rejected" || read.value.state === "unreadable") report.unreadable++;
      continue;
    }
    const { record } = read.value;
    // A reauth_required record keeps no token (empty string): nothing sealed to count.
    if (record.accessToken !== "") count("accessToken", sealedKid(record.accessToken));
    const separator = record.credentialHash.indexOf(":");
    count("credentialHash", separator > 0 ? record.credentialHash.slice(0, separator) : null);
  }
  return report;
}
