import { DurableObject } from "cloudflare:workers";
import type { ConnectionMetadata, ConnectionView } from "@instagram-connect/types";
import { type RelayConfig, relayConfig } from "../config/relay-config.ts";
import { openField } from "../crypto/token-vault.ts";
import type { UpstreamReport } from "../instagram/upstream-budget.ts";
import { logEvent } from "../log.ts";
import { bindings, now } from "../runtime.ts";
import { type ConnectionRecord, toConnectionView, withEarlierConsent } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { type CoordinatorState, durableCoordinatorState } from "./coordinator-state.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";
import { markReauthRequired } from "./mark-reauth-required.ts";
import { type RefreshOutcome, refreshConnection } from "./refresh-connection.ts";
import { type RemovalEvent, type RemovalResult, removeConnection } from "./remove-connection.ts";
import { durableRetryStore, type RetryState } from "./retry-store.ts";

/** What a consent's write answers: the connection as stored, and whether it existed before. */
export interface SavedConnection {
  connection: ConnectionView;
  reconnected: boolean;
}

/**
 * One object per connection (`getByName(connectionId)`): every change to a connection's record
 * (consent, refresh, re-encryption, credential re-hash, reauth marking, removal) runs here one
 * at a time, so there are never two writers of one `conn:` key, across isolates and locations
 * (S2, S23, S27). Concurrent refresh calls share the in-flight promise. Its own storage holds
 * the retry streak, the write-ahead copy of a refreshed record (replayed before anything else
 * runs, so a refreshed token survives a failed KV write, S24) and the ledger of index keys
 * (so removal is total even when the record no longer parses).
 *
 * @example
 * const outcome = await coordinatorFor(env, connectionId).refresh(connectionId);
 */
export class ConnectionCoordinator extends DurableObject<Env> {
  #tail: Promise<unknown> = Promise.resolve();
  #refreshing: Promise<RefreshOutcome> | null = null;

  /** Refreshes the connection's token if due; concurrent calls get the same outcome. */
  refresh(connectionId: string): Promise<RefreshOutcome> {
    this.#refreshing ??= this.#exclusive(connectionId, () =>
      refreshConnection(this.#env, connectionId, durableRetryStore(this.ctx.storage), this.#state),
    ).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * Stores the record a consent made, merged with the stored one as this object last wrote it
   * (`withEarlierConsent`), after any in-flight refresh; clears a pending retry (the new token
   * starts afresh). Answers once the record is stored: the `connected` event (audit, webhook,
   * health) follows in this object's order, so the connection's next change waits for it, but
   * the consent's answer does not (issue 17 goal 6).
   */
  saveConnection(fresh: ConnectionRecord): Promise<SavedConnection> {
    return this.#exclusiveThen(fresh.connectionId, async () => {
      const store = this.#store();
      const previous = await store.get(fresh.connectionId);
      const record = withEarlierConsent(fresh, previous);
      await store.put(record, previous);
      this.ctx.storage.kv.delete("retry");
      // Two racing consents of one (account, owner): the second one here is a reconnect.
      const again = previous !== null;
      const connection = toConnectionView(record, now());
      const announced = emitLifecycleEvent(
        this.#env,
        { event: "connected", connectionId: record.connectionId, reason: again ? "reconnected" : "consent" },
        { connection, reconnected: again },
      );
      return { value: { connection, reconnected: again }, after: announced };
    });
  }

  /** Replaces the app metadata of the connection (PATCH); null when there is no such connection. */
  updateMetadata(connectionId: string, metadata: ConnectionMetadata | null): Promise<ConnectionView | null> {
    return this.#exclusive(connectionId, async () => {
      const store = this.#store();
      const record = await store.get(connectionId);
      if (!record) return null;
      const next = { ...record, metadata, updatedAt: new Date(now()).toISOString() };
      await store.put(next, record);
      return toConnectionView(next, now());
    });
  }

  /**
   * Deletes everything stored for the connection after any in-flight refresh: its record, every
   * index key it ever wrote (ledger), the indexes of `instagramIds` that point at it, its cached
   * reads; then forgets its own state. Works whether or not the record parses.
   */
  remove(
    connectionId: string,
    reason: string,
    event: RemovalEvent,
    instagramIds: string[] = [],
  ): Promise<RemovalResult> {
    return this.#exclusive(null, async () => {
      const result = await removeConnection(this.#env, connectionId, reason, event, {
        ownedKeys: this.#state.ownedKeys(),
        instagramIds,
      });
      this.#state.clear();
      return result;
    });
  }

  /**
   * Re-encrypts the token under the newest key after any in-flight refresh, only if the record
   * still holds `readCiphertext` (a token read under an old key outside this object, S20/S23).
   */
  reseal(connectionId: string, readCiphertext: string): Promise<boolean> {
    return this.#exclusive(connectionId, () => this.#store().resealIfUnchanged(connectionId, readCiphertext));
  }

  /** Replaces a credential hash made under an older key with `nextHash` while the record holds `readHash` (S20). */
  rehashCredential(connectionId: string, readHash: string, nextHash: string): Promise<boolean> {
    return this.#exclusive(connectionId, () =>
      this.#store().rehashCredentialIfUnchanged(connectionId, readHash, nextHash),
    );
  }

  /**
   * Marks the connection `reauth_required` when its token (still `readCiphertext`) cannot be
   * decrypted here either; a token under a key this deployment lacks is left alone.
   */
  markUnreadable(connectionId: string, readCiphertext: string): Promise<boolean> {
    return this.#exclusive(connectionId, async () => {
      const config = relayConfig(this.#env);
      const store = this.#store(config);
      const record = await store.get(connectionId);
      if (record?.status !== "active" || record.accessToken !== readCiphertext) return false;
      const opened = await openField(
        config.vault.keys,
        { connectionId, field: "access_token" },
        readCiphertext,
      );
      if (opened.ok || opened.failure.reason === "vault_unknown_kid") return false;
      await markReauthRequired(this.#env, store, record, "token_unreadable");
      this.ctx.storage.kv.delete("retry");
      return true;
    });
  }

  /**
   * Marks the connection `reauth_required` when Instagram refused its token (code 190) on a
   * read or an action, only if the record still holds that token (`readCiphertext`): a token
   * refreshed or reconnected in the meantime is left alone. Without this only the refresh sweep
   * noticed a revoked token, and the app API kept listing the connection as `active`.
   */
  markRejected(connectionId: string, readCiphertext: string, reason: string): Promise<boolean> {
    return this.#exclusive(connectionId, async () => {
      const store = this.#store();
      const record = await store.get(connectionId);
      if (record?.status !== "active" || record.accessToken !== readCiphertext) return false;
      await markReauthRequired(this.#env, store, record, reason);
      this.ctx.storage.kv.delete("retry");
      return true;
    });
  }

  /**
   * The record as its only writer sees it (S27): every write of `conn:<id>` is made from this
   * object's location, where KV shows it at once, so this read is never older than the last
   * write, unlike a read from another location (up to 60 s stale). Null when absent or unreadable.
   */
  current(connectionId: string): Promise<ConnectionRecord | null> {
    return this.#exclusive(connectionId, () => this.#store().get(connectionId));
  }

  /** The retry state after transient failures (undefined when none is pending). */
  retryState(): RetryState | undefined {
    return durableRetryStore(this.ctx.storage).get();
  }

  get #env(): Env {
    return bindings(this.env, "ConnectionCoordinator");
  }

  get #state(): CoordinatorState {
    return durableCoordinatorState(this.ctx.storage);
  }

  #store(config: RelayConfig = relayConfig(this.#env)): ConnectionStore {
    const state = this.#state;
    return new ConnectionStore(this.#env.CONNECTIONS, config, undefined, {
      ownKeys: (keys) => state.addOwnedKeys(keys),
    });
  }

  /** Runs `task` after every earlier one; first replays a write-ahead record of `connectionId`. */
  #exclusive<T>(connectionId: string | null, task: () => Promise<T>): Promise<T> {
    return this.#exclusiveThen(connectionId, async () => ({ value: await task(), after: undefined }));
  }

  /**
   * Like #exclusive, but the task's `after` work (what follows a change: its announcement) runs
   * past the answer: the caller gets `value` at once, the next task waits for `after` too.
   */
  #exclusiveThen<T>(
    connectionId: string | null,
    task: () => Promise<{ value: T; after: Promise<unknown> | undefined }>,
  ): Promise<T> {
    const run = this.#tail.then(async () => {
      if (connectionId) await this.#replayPending(connectionId);
      return task();
    });
    const settled = run.then(
      ({ after }) =>
        after?.catch((error: unknown) => {
          logEvent("error", "lifecycle_event_failed", {
            connectionId,
            name: error instanceof Error ? error.name : "unknown",
          });
        }),
      () => undefined,
    );
    this.#tail = settled;
    this.ctx.waitUntil(settled);
    return run.then(({ value }) => value);
  }

  /**
   * A refreshed record whose KV write failed is written now, unless KV already holds a newer
   * token (a reconnect) or nothing (removed). Throws while KV still refuses: nothing proceeds
   * on the superseded token.
   */
  async #replayPending(connectionId: string): Promise<void> {
    const pending = this.#state.pending();
    if (!pending || pending.connectionId !== connectionId) return;
    const store = this.#store();
    const current = await store.read(connectionId);
    if (current.state === "missing") {
      this.#state.clearPending();
      return;
    }
    const previous = current.state === "ok" ? current.record : null;
    if (!previous || Date.parse(previous.tokenIssuedAt) < Date.parse(pending.tokenIssuedAt)) {
      await store.put(pending, previous);
      this.#state.clearPending();
      logEvent("info", "refresh_write_ahead_replayed", { connectionId });
      // S24: announced only now that the refreshed token is stored.
      await emitLifecycleEvent(
        this.#env,
        { event: "refreshed", connectionId, reason: "write_ahead_replayed" },
        { connection: toConnectionView(pending, now()) },
      );
      return;
    }
    this.#state.clearPending();
  }
}

/** The coordinator stub of one connection. */
export function coordinatorFor(env: Pick<Env, "CONNECTION_COORDINATOR">, connectionId: string) {
  return env.CONNECTION_COORDINATOR.getByName(connectionId);
}

/**
 * A connection store for code outside the coordinator: a token read under an old key is
 * re-encrypted inside the connection's coordinator, serialised with refreshes (S23), and a
 * token that cannot be decrypted marks the connection `reauth_required` there.
 */
export function coordinatedStore(
  env: Pick<Env, "CONNECTIONS" | "CONNECTION_COORDINATOR">,
  config: RelayConfig,
): ConnectionStore {
  return new ConnectionStore(
    env.CONNECTIONS,
    config,
    (connectionId, readCiphertext) => coordinatorFor(env, connectionId).reseal(connectionId, readCiphertext),
    {
      unreadable: (connectionId, readCiphertext) =>
        coordinatorFor(env, connectionId).markUnreadable(connectionId, readCiphertext),
    },
  );
}

/**
 * An Instagram client observer for calls made with `record`'s token: a refusal of the token
 * (`reauth_required`, Instagram's code 190) marks the connection through its coordinator, so the
 * app API, webhooks and the widget all see `reauth_required` at once; `also` sees every answer
 * too (the account's upstream budget).
 */
export function watchTokenRefusal(
  env: Pick<Env, "CONNECTION_COORDINATOR">,
  record: Pick<ConnectionRecord, "connectionId" | "accessToken">,
  also: (report: UpstreamReport) => void | Promise<void>,
): (report: UpstreamReport) => Promise<void> {
  return async (report) => {
    await also(report);
    if (report.failure?.code !== "reauth_required") return;
    await coordinatorFor(env, record.connectionId).markRejected(
      record.connectionId,
      record.accessToken,
      report.failure.reason ?? "token_refused",
    );
  };
}
