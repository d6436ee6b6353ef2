import { DurableObject } from "cloudflare:workers";
import type { OAuthResult } from "@instagram-connect/types";
import { fail, ok, type Result } from "../result.ts";
import {
  type AttemptPoll,
  type AttemptRecord,
  COMPLETED_ATTEMPT_TTL_MS,
  type ConsumeRefusal,
  type FlowSession,
} from "./flow-types.ts";

const ATTEMPT = "attempt";
// Storage cleanup only; expiry itself is decided from the caller's clock, not the alarm.
const CLEANUP_SLACK_MS = 60 * 1000;

/**
 * One consent attempt per object (`attempt:<attemptId>`), reached only with an attempt id the
 * relay issued and verified (attempt-id.ts), never at a start: the first write is the callback's
 * `claim` (or a session start's `attachSession`). Every method runs with synchronous storage and
 * no await between its read and its write, so a read-check-write is atomic: two concurrent
 * callbacks of one state (or two flows of one attempt) get exactly one claim (S2).
 * `idExpiresAt` is the expiry written in the attempt id: the record is kept (as a tombstone once
 * done) until then, so a delivered or claimed attempt never reads as fresh again.
 */
export class OAuthFlow extends DurableObject<Env> {
  /** A session start: keeps the session for the callback; refused once the attempt was used. */
  async attachSession(session: FlowSession, idExpiresAt: number, nowMs: number): Promise<boolean> {
    if (this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT) || idExpiresAt <= nowMs) return false;
    this.#put({ claimedBy: null, session, expiresAt: idExpiresAt, result: null, done: false });
    await this.#scheduleCleanup(idExpiresAt, nowMs);
    return true;
  }

  /**
   * The callback's single use (S1, S2): the first flow to come back claims the attempt; a replayed
   * state, a second flow of the same attempt, or a flow whose session differs from the one
   * attached is refused. Returns the attached session, if any.
   */
  async claim(
    flowId: string,
    sessionId: string | null,
    idExpiresAt: number,
    nowMs: number,
  ): Promise<Result<FlowSession | null>> {
    const existing = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (existing && (existing.claimedBy !== null || existing.done || existing.result !== null)) {
      return refuse("unknown_or_used");
    }
    if ((existing?.session?.sessionId ?? null) !== sessionId) return refuse("session_mismatch");
    if (idExpiresAt <= nowMs) return refuse("expired");
    this.#put({
      claimedBy: flowId,
      session: existing?.session ?? null,
      expiresAt: idExpiresAt,
      result: null,
      done: false,
    });
    await this.#scheduleCleanup(idExpiresAt, nowMs);
    return ok(existing?.session ?? null);
  }

  /** Records the attempt's result once; it stays collectable only briefly. */
  async completeAttempt(result: OAuthResult, idExpiresAt: number, nowMs: number): Promise<boolean> {
    const existing = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (existing && (existing.done || existing.result !== null)) return false;
    const expiresAt = Math.min(existing?.expiresAt ?? idExpiresAt, nowMs + COMPLETED_ATTEMPT_TTL_MS);
    if (expiresAt <= nowMs) return false;
    this.#put({ claimedBy: null, session: null, ...existing, result, expiresAt, done: false });
    await this.#scheduleCleanup(idExpiresAt, nowMs);
    return true;
  }

  /**
   * Pending until completed (also before anything was stored: the caller verified the id and
   * its verifier); the result is handed out once, then the attempt reads as unknown.
   */
  poll(idExpiresAt: number, nowMs: number): AttemptPoll {
    const attempt = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (!attempt) return { status: "pending", expiresAt: idExpiresAt };
    if (attempt.done) return { status: "missing" };
    if (attempt.expiresAt <= nowMs) {
      this.#put({ ...attempt, result: null, done: true });
      return { status: "missing" };
    }
    if (attempt.result === null) return { status: "pending", expiresAt: attempt.expiresAt };
    this.#put({ ...attempt, result: null, done: true });
    return { status: "complete", result: attempt.result };
  }

  /** Drops whatever this object still holds once its attempt id has expired. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  #put(record: AttemptRecord): void {
    this.ctx.storage.kv.put(ATTEMPT, record);
  }

  async #scheduleCleanup(idExpiresAt: number, nowMs: number): Promise<void> {
    // Relative to the caller's clock (tests move it), placed on the real one.
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, idExpiresAt - nowMs) + CLEANUP_SLACK_MS);
  }
}

/** The stub holding one attempt. */
export function attemptStub(namespace: DurableObjectNamespace<OAuthFlow>, attemptId: string) {
  return namespace.getByName(`attempt:${attemptId}`);
}

function refuse(reason: ConsumeRefusal): Result<never> {
  return fail({ code: "invalid_state", reason });
}
