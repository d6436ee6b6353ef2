import { createAdminClient } from "@instagram-connect/client";
import type { ApiOperation } from "@instagram-connect/types";

/** Exactly what the demo's routes call: least privilege even for a demo. */
const OPERATIONS: ApiOperation[] = [
  "sessions:write",
  "connections:read",
  "connections:delete",
  "media:read",
  "media:publish",
  "feeds:write",
];

/** `pnpm dev` starts the relay alongside this server: wait this long for it to answer. */
const WAIT_MS = 120_000;

/** A fresh API key of this server process, and how to revoke it on shutdown. */
export interface DemoApiKey {
  apiKey: string;
  keyId: string;
  revoke: () => Promise<unknown>;
}

/**
 * Creates this server's API key through the relay's admin route (`POST /v1/admin/api-keys`) with
 * the dev ADMIN_SECRET, retrying while the relay is still starting. Fails with the relay's error
 * code otherwise (e.g. `not_found`: the relay has no ADMIN_SECRET).
 */
export async function obtainApiKey(options: { relayUrl: string; adminSecret: string }): Promise<DemoApiKey> {
  const admin = createAdminClient({ baseUrl: options.relayUrl, adminSecret: options.adminSecret });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const made = await admin.createApiKey({ name: "demo-site", operations: OPERATIONS });
      if (made.ok) {
        const { apiKey, key } = made.data;
        return { apiKey, keyId: key.keyId, revoke: () => admin.revokeApiKey(key.keyId) };
      }
      // A relay still starting (wrangler's 503) or a rate limit is worth waiting for; anything else is not.
      if (made.status !== 503 && made.status !== 429)
        throw new Error(`the relay refused to create an API key: ${made.error.code} (${made.error.message})`);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // TypeError: fetch failed (not listening yet)
    }
    if (Date.now() > deadline) throw new Error(`the relay at ${options.relayUrl} did not answer in time`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
