import type { RelayConfig } from "../config/relay-config.ts";
import { openField, sealField } from "../crypto/token-vault.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, connectionRecordSchema } from "./connection-record.ts";
import {
  accountOwnerKey,
  connectionKey,
  endUserPrefix,
  instagramIdKey,
  instagramUserIdKey,
  ownerKey,
  readCachePrefix,
  refreshDueExpiration,
  refreshDueKey,
} from "./kv-keys.ts";

/**
 * Re-encrypts a connection's token under the newest key, unless the stored ciphertext is no longer
 * `readCiphertext` (a refresh or reconnect stored a newer token meanwhile). Resolves to whether it wrote.
 */
export type TokenResealer = (connectionId: string, readCiphertext: string) => Promise<boolean>;

/**
 * Reads and writes encrypted connection records and their indexes in KV (layout in
 * STORAGE.md). KV is eventually consistent: nothing single-use or security-critical relies
 * on read-after-write here; that lives in Durable Objects.
 */
export class ConnectionStore {
  readonly #reseal: TokenResealer;

  /**
   * `reseal` writes back a token read under an older key. Code outside the connection's
   * ConnectionCoordinator must route it there (`coordinatedStore`); the default writes
   * directly and is only for code already running inside the coordinator.
   */
  constructor(
    private readonly kv: KVNamespace,
    private readonly config: RelayConfig,
    reseal?: TokenResealer,
  ) {
    this.#reseal =
      reseal ?? ((connectionId, readCiphertext) => this.resealIfUnchanged(connectionId, readCiphertext));
  }

  /** The record, or null when absent (or unreadable, which is logged). */
  async get(connectionId: string): Promise<ConnectionRecord | null> {
    const raw = await this.kv.get(connectionKey(connectionId), "json");
    if (raw === null) return null;
    const parsed = connectionRecordSchema.safeParse(raw);
    if (!parsed.success || parsed.data.connectionId !== connectionId) {
      logEvent("error", "connection_record_invalid", { connectionId });
      return null;
    }
    return parsed.data;
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
   */
  async put(record: ConnectionRecord, previous: ConnectionRecord | null = null): Promise<void> {
    const expiresAtMs = Date.parse(record.tokenExpiresAt);
    await Promise.all([
      this.kv.put(instagramIdKey(record.profile.id), record.connectionId),
      this.kv.put(instagramUserIdKey(record.profile.userId), record.connectionId),
      record.status === "active"
        ? this.kv.put(refreshDueKey(record.refreshDueDate, record.connectionId), record.connectionId, {
            expiration: refreshDueExpiration(expiresAtMs, now()),
          })
        : null,
      ...(await this.#ownerIndexKeys(record)).map((key) => this.kv.put(key, record.connectionId)),
    ]);
    await this.kv.put(connectionKey(record.connectionId), JSON.stringify(record));
    if (previous) await this.#dropStaleIndexes(previous, record);
  }

  /** Deletes the record and every index entry pointing at it. */
  async delete(record: ConnectionRecord): Promise<void> {
    await this.kv.delete(connectionKey(record.connectionId));
    await Promise.all([
      this.#deleteIfOwned(instagramIdKey(record.profile.id), record.connectionId),
      this.#deleteIfOwned(instagramUserIdKey(record.profile.userId), record.connectionId),
      this.kv.delete(refreshDueKey(record.refreshDueDate, record.connectionId)),
      ...(await this.#ownerIndexKeys(record)).map((key) => this.#deleteIfOwned(key, record.connectionId)),
    ]);
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

  /** The `acct:` (one live connection per account and owner) and `enduser:` index keys of a record. */
  async #ownerIndexKeys(record: ConnectionRecord): Promise<string[]> {
    // Records older than connect sessions have no origin: no owner index until reconnected.
    if (record.endUserId == null && record.origin == null) return [];
    const keys = [accountOwnerKey(record.profile.userId, await ownerKey(record))];
    if (record.endUserId != null) keys.push(`${await endUserPrefix(record.endUserId)}${record.connectionId}`);
    return keys;
  }

  /** Deletes every cached Instagram read of the connection (personal data too: Meta deletion included). */
  async purgeReads(connectionId: string): Promise<void> {
    const prefix = readCachePrefix(connectionId);
    let cursor: string | undefined;
    do {
      const page = await this.kv.list(cursor ? { prefix, cursor } : { prefix });
      await Promise.all(page.keys.map((key) => this.kv.delete(key.name)));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
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
      logEvent("error", "token_decrypt_failed", {
        connectionId: record.connectionId,
        reason: opened.failure.reason,
      });
      return fail(opened.failure);
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
    logEvent("info", "token_reencrypted", {
      connectionId,
      fromKid: opened.value.kid,
      toKid: this.config.vault.keys.currentKid,
    });
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
    await Promise.all(stale);
  }

  async #deleteIfOwned(key: string, connectionId: string): Promise<void> {
    if ((await this.kv.get(key)) === connectionId) await this.kv.delete(key);
  }
}
