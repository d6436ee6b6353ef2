import { type RelayConfig, relayConfig } from "../config/relay-config.ts";
import { InstagramClient, type LongLivedToken } from "../instagram/instagram-client.ts";
import { logEvent } from "../log.ts";
import { type Failure, fail, type Result, unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, toConnectionView } from "../storage/connection-record.ts";
import { ConnectionStore } from "../storage/connection-store.ts";
import { refreshDueDate } from "../storage/kv-keys.ts";
import { type CoordinatorState, memoryCoordinatorState } from "./coordinator-state.ts";
import { emitLifecycleEvent } from "./lifecycle-events.ts";
import { markReauthRequired } from "./mark-reauth-required.ts";
import { refreshReadiness, retryAt } from "./refresh-policy.ts";
import type { RetryState, RetryStore } from "./retry-store.ts";

/** What one refresh attempt did. */
export type RefreshOutcome =
  | { status: "refreshed"; tokenExpiresAt: string }
  | { status: "not_due"; readiness: "too_young" | "not_due" }
  | { status: "backoff"; nextAttemptAt: string }
  | { status: "retry_scheduled"; code: string; failures: number; nextAttemptAt: string }
  | { status: "reauth_required"; code: string }
  | { status: "skipped"; reason: "missing" | "inactive" };

/** Failures after which only a new consent helps (S26): invalid/revoked token, basic scope gone. */
const FINAL_CODES = new Set<Failure["code"]>(["reauth_required", "permission_missing"]);

/**
 * Refreshes one connection's long-lived token if it is due. Runs inside the connection's
 * ConnectionCoordinator, which serialises it (S23); re-reads the record first and skips a
 * fresh one, so repeated or concurrent triggers are harmless (S25). The new token is sealed
 * under the newest key (S20) and persisted before anything is announced (S24). Transient
 * failures keep the token and back off (S26); final ones mark the connection reauth_required.
 */
export async function refreshConnection(
  env: Env,
  connectionId: string,
  retries: RetryStore,
  state: CoordinatorState = memoryCoordinatorState(),
): Promise<RefreshOutcome> {
  const config = relayConfig(env);
  const settings = unwrap(config.lifecycle);
  const store = new ConnectionStore(env.CONNECTIONS, config, undefined, {
    ownKeys: (keys) => state.addOwnedKeys(keys),
  });
  const record = await store.get(connectionId);
  if (!record) return { status: "skipped", reason: "missing" };
  if (record.status !== "active") return { status: "skipped", reason: "inactive" };

  const nowMs = now();
  const readiness = refreshReadiness(record, nowMs, settings.refreshWindowMs);
  if (readiness === "expired") {
    await markReauthRequired(env, store, record, "token_expired");
    retries.clear();
    return { status: "reauth_required", code: "token_expired" };
  }
  if (readiness !== "due") return { status: "not_due", readiness };
  const pending = retries.get();
  if (pending && pending.nextAttemptAt > nowMs) {
    return { status: "backoff", nextAttemptAt: new Date(pending.nextAttemptAt).toISOString() };
  }

  const attempt = await callInstagram(store, config, record);
  if (attempt.ok) return persistRefreshed(env, store, record, attempt.value, retries, state);
  if (FINAL_CODES.has(attempt.failure.code)) {
    await markReauthRequired(env, store, record, attempt.failure.code);
    retries.clear();
    return { status: "reauth_required", code: attempt.failure.code };
  }
  return scheduleRetry(env, record, attempt.failure, pending, retries);
}

async function callInstagram(
  store: ConnectionStore,
  config: RelayConfig,
  record: ConnectionRecord,
): Promise<Result<LongLivedToken>> {
  const token = await store.readAccessToken(record);
  // A token that cannot be decrypted is final (reauth_required), unless its key is only missing
  // from this deployment (a rotation in progress): that one is retried.
  if (!token.ok && token.failure.reason === "vault_unknown_kid") {
    return fail({ code: "internal_error", reason: token.failure.reason });
  }
  if (!token.ok) return token;
  const answer = await new InstagramClient(config).refreshToken(token.value);
  if (answer.ok) return answer;
  if (FINAL_CODES.has(answer.failure.code)) {
    // S27: KV may have served a stale record (e.g. a reconnect elsewhere stored a new token).
    // Re-read once and retry with the newer token before giving up on the connection.
    const latest = await store.get(record.connectionId);
    if (latest?.status === "active" && latest.accessToken !== record.accessToken) {
      const newer = await store.readAccessToken(latest);
      if (newer.ok) {
        const retried = await new InstagramClient(config).refreshToken(newer.value);
        return retried;
      }
    }
  }
  return answer;
}

async function persistRefreshed(
  env: Env,
  store: ConnectionStore,
  record: ConnectionRecord,
  token: LongLivedToken,
  retries: RetryStore,
  state: CoordinatorState,
): Promise<RefreshOutcome> {
  const nowMs = now();
  const expiresAtMs = nowMs + token.expiresInSeconds * 1000;
  const { accessToken: _old, ...rest } = record;
  const next = await store.sealToken(
    {
      ...rest,
      tokenIssuedAt: new Date(nowMs).toISOString(),
      tokenExpiresAt: new Date(expiresAtMs).toISOString(),
      refreshDueDate: refreshDueDate(expiresAtMs),
      updatedAt: new Date(nowMs).toISOString(),
    },
    token.accessToken,
  );
  // Write-ahead (S24): Instagram may already have superseded the old token, so the new one is
  // kept in the coordinator's own storage until KV has it; the coordinator replays it next time.
  state.setPending(next);
  try {
    await store.put(next, record);
    state.clearPending();
  } catch (error) {
    // S24: nothing is announced for a token that was not stored; retry on a later sweep.
    const name = error instanceof Error ? error.name : "unknown";
    logEvent("error", "refresh_persist_failed", { connectionId: record.connectionId, name });
    const failures = (retries.get()?.failures ?? 0) + 1;
    const nextAttemptAt = retryAt(nowMs, failures, Date.parse(record.tokenExpiresAt));
    retries.set({ failures, nextAttemptAt });
    return { status: "retry_scheduled", code: "persist_failed", failures, nextAttemptAt: iso(nextAttemptAt) };
  }
  retries.clear();
  await emitLifecycleEvent(
    env,
    { event: "refreshed", connectionId: record.connectionId, reason: "scheduled" },
    { connection: toConnectionView(next, nowMs) },
  );
  return { status: "refreshed", tokenExpiresAt: next.tokenExpiresAt };
}

async function scheduleRetry(
  env: Env,
  record: ConnectionRecord,
  failure: Failure,
  pending: RetryState | undefined,
  retries: RetryStore,
): Promise<RefreshOutcome> {
  const { connectionId } = record;
  const nowMs = now();
  const failures = (pending?.failures ?? 0) + 1;
  // Never back off past the token's expiry: the last chances come before it, not after.
  const nextAttemptAt = retryAt(nowMs, failures, Date.parse(record.tokenExpiresAt));
  retries.set({ failures, nextAttemptAt });
  await emitLifecycleEvent(env, {
    event: "refresh_failed",
    connectionId,
    reason: `${failure.code}:attempt_${failures}`,
  });
  return { status: "retry_scheduled", code: failure.code, failures, nextAttemptAt: iso(nextAttemptAt) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
