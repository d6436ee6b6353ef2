import { DurableObject } from "cloudflare:workers";
import type { ConnectionMetadata, ConnectionView } from "@instagram-connect/types";
import { type RelayConfig, relayConfig } from "../config/relay-config.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";
import { type RefreshOutcome, refreshConnection } from "./refresh-connection.ts";
import { type RemovalEvent, type RemovalResult, removeConnection } from "./remove-connection.ts";
import { durableRetryStore, type RetryState } from "./retry-store.ts";

/**
 * One object per connection (`getByName(connectionId)`): every change to a connection's token
 * (refresh, reauth marking, disconnect) runs here one at a time, so there are never two
 * refreshes of one connection at once, across isolates and locations (S2, S23). Concurrent
 * refresh calls share the in-flight promise; later ones re-read the record and skip it when
 * already fresh. Holds only the retry state of transient failures.
 *
 * @example
 * const outcome = await coordinatorFor(env, connectionId).refresh(connectionId);
 */
export class ConnectionCoordinator extends DurableObject<Env> {
  #tail: Promise<unknown> = Promise.resolve();
  #refreshing: Promise<RefreshOutcome> | null = null;

  /** Refreshes the connection's token if due; concurrent calls get the same outcome. */
  refresh(connectionId: string): Promise<RefreshOutcome> {
    this.#refreshing ??= this.#exclusive(() =>
      refreshConnection(this.env, connectionId, durableRetryStore(this.ctx.storage)),
    ).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * Stores a (re)connected record written by the consent flow, after any in-flight refresh,
   * and records `connected`. Clears a pending retry: the new token starts afresh.
   */
  saveConnection(record: ConnectionRecord, reconnected: boolean): Promise<void> {
    return this.#exclusive(async () => {
      const store = new ConnectionStore(this.env.CONNECTIONS, relayConfig(this.env));
      const previous = await store.get(record.connectionId);
      await store.put(record, previous);
      this.ctx.storage.kv.delete("retry");
      // Two racing consents of one (account, owner) both start as new; the second is a reconnect.
      const again = reconnected || previous !== null;
      await emitLifecycleEvent(
        this.env,
        {
          event: "connected",
          connectionId: record.connectionId,
          reason: again ? "reconnected" : "consent",
        },
        { connection: toConnectionView(record, now()), reconnected: again },
      );
    });
  }

  /** Replaces the app metadata of the connection (PATCH); null when there is no such connection. */
  updateMetadata(connectionId: string, metadata: ConnectionMetadata | null): Promise<ConnectionView | null> {
    return this.#exclusive(async () => {
      const store = new ConnectionStore(this.env.CONNECTIONS, relayConfig(this.env));
      const record = await store.get(connectionId);
      if (!record) return null;
      const next = { ...record, metadata, updatedAt: new Date(now()).toISOString() };
      await store.put(next, record);
      return toConnectionView(next, now());
    });
  }

  /** Deletes the connection and its indexes after any in-flight refresh has finished. */
  remove(connectionId: string, reason: string, event: RemovalEvent): Promise<RemovalResult> {
    return this.#exclusive(async () => {
      const result = await removeConnection(this.env, connectionId, reason, event);
      this.ctx.storage.kv.delete("retry");
      return result;
    });
  }

  /**
   * Re-encrypts the token under the newest key after any in-flight refresh, only if the record
   * still holds `readCiphertext` (a token read under an old key outside this object, S20/S23).
   */
  reseal(connectionId: string, readCiphertext: string): Promise<boolean> {
    return this.#exclusive(() =>
      new ConnectionStore(this.env.CONNECTIONS, relayConfig(this.env)).resealIfUnchanged(
        connectionId,
        readCiphertext,
      ),
    );
  }

  /** The retry state after transient failures (undefined when none is pending). */
  retryState(): RetryState | undefined {
    return durableRetryStore(this.ctx.storage).get();
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/** The coordinator stub of one connection. */
export function coordinatorFor(env: Pick<Env, "CONNECTION_COORDINATOR">, connectionId: string) {
  return env.CONNECTION_COORDINATOR.getByName(connectionId);
}

/**
 * A connection store for code outside the coordinator: a token read under an old key is
 * re-encrypted inside the connection's coordinator, serialised with refreshes (S23).
 */
export function coordinatedStore(
  env: Pick<Env, "CONNECTIONS" | "CONNECTION_COORDINATOR">,
  config: RelayConfig,
): ConnectionStore {
  return new ConnectionStore(env.CONNECTIONS, config, (connectionId, readCiphertext) =>
    coordinatorFor(env, connectionId).reseal(connectionId, readCiphertext),
  );
}
