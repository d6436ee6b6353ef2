import type { RelayConfig } from "../config/relay-config.ts";
import { openField, sealField } from "../crypto/token-vault.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, connectionRecordSchema } from "./connection-record.ts";
import { forgetCredential } from "./credential-cache.ts";
import {
  accountOwnerKey,
  connectionKey,
  endUserPrefix,
  instagramIdKey,
  instagramUserIdKey,
  ownerKey,
  refreshDueExpiration,
  refreshDueKey,
} from "./kv-keys.ts";

/**
 * Re-encrypts a connection's token under the newest key, unless the stored ciphertext is no longer
 * `readCiphertext` (a refresh or reconnect stored a newer token meanwhile). Resolves to whether it wrote.
 */
export type TokenResealer = (connectionId: string, readCiphertext: string) => Promise<boolean>;

/**
 * Told when a stored token cannot be decrypted (tag check failed, malformed): marks the
 * connection `reauth_required` under its coordinator, only while it still holds `readCiphertext`.
 */
export type TokenUnreadable = (connectionId: string, readCiphertext: string) => Promise<unknown>;

/** What reading `conn:<id>` found: a valid record, nothing, or something that does not parse. */
export type StoredRecord =
  | { state: "ok"; record: ConnectionRecord }
  | { state: "missing" }
  | { state: "unreadable"; raw: string };

/** Optional hooks of a store (the coordinator supplies them). */
export interface StoreHooks {
  /** Called with every index key before it is written (the coordinator's ledger). */
  ownKeys?: (keys: string[]) => void;
  /** See TokenUnreadable; default: nothing is marked. */
  unreadable?: TokenUnreadable;
}

/**
 * Reads and writes encrypted connection records and their indexes in KV (layout in
 * STORAGE.md). KV is eventually consistent: nothing single-use or security-critical relies
 * on read-after-write here; that lives in Durable Objects.
 */
export class ConnectionStore {
  readonly #reseal: TokenResealer;
  readonly #hooks: StoreHooks;

  /**
   * `reseal` writes back a token read under an older key. Code outside the connection's
   * ConnectionCoordinator must route it there (`coordinatedStore`); the default writes
   * directly and is only for code already running inside the coordinator.
   */
  constructor(
    private readonly kv: KVNamespace,
    private readonly config: RelayConfig,
    reseal?: TokenResealer,
    hooks: StoreHooks = {},
  ) {
    this.#hooks = hooks;
    this.#reseal =
      reseal ?? ((connectionId, readCiphertext) => this.resealIfUnchanged(connectionId, readCiphertext));
  }

  /** The record, or null when absent (or unreadable, which is logged). Never throws on bad data. */
  async get(connectionId: string): Promise<ConnectionRecord | null> {
    const stored = await this.read(connectionId);
    return stored.state === "ok" ? stored.record : null;
  }

  /**
   * What `conn:<id>` holds. Invalid JSON and records failing the schema are `unreadable`, a
   * typed state (never an exception): callers answer `reauth_required`, listings flag it,
   * removal deletes it.
   */
  async read(connectionId: string): Promise<StoredRecord> {
    const raw = await this.kv.get(connectionKey(connectionId));
    if (raw === null) return { state: "missing" };
    const parsed = connectionRecordSchema.safeParse(parseJson(raw));
    if (!parsed.success || parsed.data.connectionId !== connectionId) {
      logEvent("error", "connection_record_invalid", { connectionId });
      return { state: "unreadable", raw };
    }
    return { state: "ok", record: parsed.data };
  }

  /** The connection id already linked to either Instagram id, if any. */
  async findByInstagramIds(instagramId: string, userId: string): Promise<string | null> {
    const byId = await this.kv.get(instagramIdKey(instagramId));
    if (byId) return byId;
    return this.kv.get(instagramUserIdKey(userId));
  }

  /** Encrypts `accessToken` into `record` (bound to its connection id). */
  async sealToken(
    record: Omit<ConnectionRecord, "accessToken">,
    accessToken: string,
  ): Promise<ConnectionRecord> {
    const sealed = await sealField(
      this.config.vault.keys,
      { connectionId: record.connectionId, field: "access_token" },
      accessToken,
    );
    return { ...record, accessToken: sealed };
  }

  /**
   * Writes the record, its Instagram id indexes and (while `active`) its refresh due entry;
   * drops stale entries. A `reauth_required` record has no due entry: nothing to refresh.
   * Index entries `previous` did not have go first, so a stored record is always findable; the
   * ones it had already point here, so they are rewritten alongside the record (one round trip
   * less on a reconnect, issue 17 goal 6). When any write fails, the entries this call added
   * (not those of `previous`) are deleted again, so nothing points at a record that was never
   * stored, and the error is rethrown.
   */
  async put(record: ConnectionRecord, previous: ConnectionRecord | null = null): Promise<void> {
    const expiresAtMs = Date.parse(record.tokenExpiresAt);
    const keys = await allIndexKeys(record);
    this.#hooks.ownKeys?.(keys);
    const before = new Set(previous ? await allIndexKeys(previous) : []);
    const added = keys.filter((key) => !before.has(key));
    const writeIndex = (key: string) =>
      key.startsWith("due:")
        ? this.kv.put(key, record.connectionId, { expiration: refreshDueExpiration(expiresAtMs, now()) })
        : this.kv.put(key, record.connectionId);
    try {
      if (added.length > 0) await Promise.all(added.map(writeIndex));
      await Promise.all([
        this.kv.put(connectionKey(record.connectionId), JSON.stringify(record)),
        ...keys.filter((key) => before.has(key)).map(writeIndex),
      ]);
      forgetCredential(record.connectionId);
    } catch (error) {
      await Promise.allSettled(added.map((key) => this.#deleteIfOwned(key, record.connectionId)));
      throw error;
    }
    if (previous) await this.#dropStaleIndexes(previous, record);
  }

  /** Connection ids of one end user (from the `enduser:` index; re-read each record: KV may lag). */
  async listEndUserConnectionIds(endUserId: string): Promise<string[]> {
    const prefix = await endUserPrefix(endUserId);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list(cursor ? { prefix, cursor } : { prefix });
      for (const key of page.keys) ids.push(key.name.slice(prefix.length));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return ids;
  }

  /**
   * Decrypts the access token. A token sealed under an older key is re-encrypted under the
   * newest key and written back through `reseal`, only if the record still holds the
   * ciphertext that was read (S20, S23). Tampered or swapped ciphertext fails closed.
   */
  async readAccessToken(record: ConnectionRecord): Promise<Result<string>> {
    // A connection marked reauth_required keeps no usable token; an expired one cannot work.
    if (record.status !== "active" || record.accessToken === "") {
      return fail({ code: "reauth_required", reason: "no_usable_token" });
    }
    if (Date.parse(record.tokenExpiresAt) <= now()) {
      return fail({ code: "reauth_required", reason: "token_expired" });
    }
    const opened = await openField(
      this.config.vault.keys,
      { connectionId: record.connectionId, field: "access_token" },
      record.accessToken,
    );
    if (!opened.ok) {
      const reason = opened.failure.reason ?? "vault_failed";
      logEvent("error", "token_decrypt_failed", { connectionId: record.connectionId, reason });
      // A key missing here may only be missing from this (older) deployment during a rotation:
      // answer reauth_required but keep the token. Anything else is corrupt for every reader.
      if (reason !== "vault_unknown_kid" && this.#hooks.unreadable) {
        await this.#hooks.unreadable(record.connectionId, record.accessToken).catch((error: unknown) => {
          const name = error instanceof Error ? error.name : "unknown";
          logEvent("error", "token_unreadable_mark_failed", { connectionId: record.connectionId, name });
        });
      }
      return fail({ code: "reauth_required", reason });
    }
    if (opened.value.stale) {
      try {
        await this.#reseal(record.connectionId, record.accessToken);
      } catch (error) {
        // The token read is still good; the next read retries the rewrite.
        const name = error instanceof Error ? error.name : "unknown";
        logEvent("error", "token_reencrypt_failed", { connectionId: record.connectionId, name });
      }
    }
    return ok(opened.value.plaintext);
  }

  /**
   * Re-reads the record and re-encrypts its token under the newest key only while its ciphertext
   * is still `readCiphertext`: a write-back of what was read earlier must never replace a token a
   * refresh or reconnect stored since (S20, S23). Run it under the connection's coordinator.
   */
  async resealIfUnchanged(connectionId: string, readCiphertext: string): Promise<boolean> {
    const current = await this.get(connectionId);
    if (current?.status !== "active" || current.accessToken !== readCiphertext) {
      logEvent("info", "token_reencrypt_skipped", { connectionId, reason: "record_changed" });
      return false;
    }
    const opened = await openField(
      this.config.vault.keys,
      { connectionId, field: "access_token" },
      current.accessToken,
    );
    if (!opened.ok || !opened.value.stale) return false;
    const rotated = await this.sealToken(current, opened.value.plaintext);
    await this.kv.put(connectionKey(connectionId), JSON.stringify(rotated));
    forgetCredential(connectionId);
    logEvent("info", "token_reencrypted", {
      connectionId,
      fromKid: opened.value.kid,
      toKid: this.config.vault.keys.currentKid,
    });
    return true;
  }

  /**
   * Replaces the credential hash with `nextHash` (the same credential under the newest key) only
   * while the record still holds `readHash`: a reconnect's new credential is never overwritten.
   * Run it under the connection's coordinator.
   */
  async rehashCredentialIfUnchanged(
    connectionId: string,
    readHash: string,
    nextHash: string,
  ): Promise<boolean> {
    const current = await this.get(connectionId);
    if (!current || current.credentialHash !== readHash) return false;
    await this.kv.put(connectionKey(connectionId), JSON.stringify({ ...current, credentialHash: nextHash }));
    logEvent("info", "credential_rehashed", { connectionId, toKid: this.config.vault.keys.currentKid });
    return true;
  }

  async #dropStaleIndexes(previous: ConnectionRecord, next: ConnectionRecord): Promise<void> {
    const stale: Promise<unknown>[] = [];
    if (previous.refreshDueDate !== next.refreshDueDate || next.status !== "active") {
      stale.push(this.kv.delete(refreshDueKey(previous.refreshDueDate, previous.connectionId)));
    }
    if (previous.profile.id !== next.profile.id) {
      stale.push(this.#deleteIfOwned(instagramIdKey(previous.profile.id), previous.connectionId));
    }
    if (previous.profile.userId !== next.profile.userId) {
      stale.push(this.#deleteIfOwned(instagramUserIdKey(previous.profile.userId), previous.connectionId));
    }
    const kept = new Set(await ownerIndexKeys(next));
    for (const key of await ownerIndexKeys(previous)) {
      if (!kept.has(key)) stale.push(this.#deleteIfOwned(key, previous.connectionId));
    }
    await Promise.all(stale);
  }

  async #deleteIfOwned(key: string, connectionId: string): Promise<void> {
    if ((await this.kv.get(key)) === connectionId) await this.kv.delete(key);
  }
}

/** Every index key a record has: both Instagram ids and, while active, its refresh due entry. */
export function recordIndexKeys(record: ConnectionRecord): string[] {
  const keys = [instagramIdKey(record.profile.id), instagramUserIdKey(record.profile.userId)];
  if (record.status === "active") keys.push(refreshDueKey(record.refreshDueDate, record.connectionId));
  return keys;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The `acct:` (one live connection per account and owner) and `enduser:` index keys of a record. */
export async function ownerIndexKeys(record: {
  connectionId: string;
  profile: { userId: string };
  endUserId?: string | null | undefined;
  origin?: string | null | undefined;
}): Promise<string[]> {
  // Records older than connect sessions have no origin: no owner index until reconnected.
  if (record.endUserId == null && record.origin == null) return [];
  const keys = [accountOwnerKey(record.profile.userId, await ownerKey(record))];
  if (record.endUserId != null) keys.push(`${await endUserPrefix(record.endUserId)}${record.connectionId}`);
  return keys;
}

/** Every index key of a record: `recordIndexKeys` plus the owner indexes (the ledger records them all). */
export async function allIndexKeys(record: ConnectionRecord): Promise<string[]> {
  return [...recordIndexKeys(record), ...(await ownerIndexKeys(record))];
}
