// Reads the relay's R2 bucket as `wrangler dev --persist-to <dir>` stores it: miniflare keeps each
// bucket's object index in a SQLite database under <dir>/v3/r2/miniflare-R2BucketObject/ (table
// `_mf_objects`, one row per object key) and the bytes in blobs next to it. A read-only listing here
// is a real listing of what the relay holds, without a test-only route in the relay.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { URLS } from "./stack.mjs";

/** The object keys under `prefix` in every local R2 bucket of the e2e relay, sorted. */
export function listR2Keys(prefix) {
  const dir = join(URLS.relayState, "v3", "r2", "miniflare-R2BucketObject");
  if (!existsSync(dir)) throw new Error(`no local R2 state at ${dir}`);
  const keys = [];
  let buckets = 0;
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".sqlite"))) {
    const db = new DatabaseSync(join(dir, file), { readOnly: true });
    try {
      // The service's own metadata.sqlite (alarms) sits here too: only bucket databases count.
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      if (!tables.some((t) => t.name === "_mf_objects")) continue;
      buckets += 1;
      const rows = db
        .prepare("SELECT key FROM _mf_objects WHERE substr(key, 1, ?) = ?")
        .all(prefix.length, prefix);
      keys.push(...rows.map((row) => row.key));
    } finally {
      db.close();
    }
  }
  // No bucket database means this reads the wrong place (or the relay never wrote): never "empty".
  if (buckets === 0) throw new Error(`no R2 bucket database under ${dir}`);
  return keys.sort();
}
