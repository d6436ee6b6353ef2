import { DurableObject } from "cloudflare:workers";
import type { OAuthResult } from "@instagram-connect/types";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { fail, ok, type Result } from "../result.ts";
import {
  type AttemptPoll,
  type AttemptRecord,
  COMPLETED_ATTEMPT_TTL_MS,
  type ConsumeRefusal,
  FLOW_TTL_MS,
  type FlowRecord,
} from "./flow-types.ts";

const FLOW = "flow";
const ATTEMPT = "attempt";
// Storage cleanup only; expiry itself is decided from the caller's clock, not the alarm.
const CLEANUP_SLACK_MS = 60 * 1000;

/**
 * One consent flow (`flow:<flowId>`) or one attempt (`attempt:<attemptId>`) per object.
 * Every method runs with synchronous storage and no awaits, so a read-check-delete is atomic:
 * two concurrent callbacks with one state get exactly one success (S2).
 */
export class OAuthFlow extends DurableObject<Env> {
  /** Stores a new flow record. */
  async begin(flow: FlowRecord): Promise<void> {
    this.ctx.storage.kv.put(FLOW, flow);
    await this.#scheduleCleanup();
  }

  /** Consumes the flow once if the browser binding matches and it has not expired. */
  consume(bindingHash: string, nowMs: number): Result<FlowRecord> {
    const flow = this.ctx.storage.kv.get<FlowRecord>(FLOW);
    if (!flow) return refuse("unknown_or_used");
    if (flow.expiresAt <= nowMs) {
      this.ctx.storage.kv.delete(FLOW);
      return refuse("expired");
    }
    // A request without the right cookie does not burn the state: the real browser may still finish.
    if (!constantTimeEqual(flow.bindingHash, bindingHash)) return refuse("binding_mismatch");
    this.ctx.storage.kv.delete(FLOW);
    return ok(flow);
  }

  /**
   * Opens an attempt. Re-opening with the same challenge (a reloaded popup) is fine; a
   * different challenge for a live attempt id is refused.
   */
  async openAttempt(attempt: AttemptRecord, nowMs: number): Promise<boolean> {
    const existing = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (existing && existing.expiresAt > nowMs) {
      return existing.result === null && constantTimeEqual(existing.challenge, attempt.challenge);
    }
    this.ctx.storage.kv.put(ATTEMPT, attempt);
    await this.#scheduleCleanup();
    return true;
  }

  /** Records the attempt's result; it stays collectable only briefly. */
  completeAttempt(result: OAuthResult, nowMs: number): boolean {
    const attempt = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (!attempt || attempt.expiresAt <= nowMs || attempt.result !== null) return false;
    const expiresAt = Math.min(attempt.expiresAt, nowMs + COMPLETED_ATTEMPT_TTL_MS);
    this.ctx.storage.kv.put(ATTEMPT, { ...attempt, result, expiresAt });
    return true;
  }

  /** Pending until completed; the result is handed out once, then the attempt is gone. */
  poll(challenge: string, nowMs: number): AttemptPoll {
    const attempt = this.ctx.storage.kv.get<AttemptRecord>(ATTEMPT);
    if (!attempt || !constantTimeEqual(attempt.challenge, challenge)) return { status: "missing" };
    if (attempt.expiresAt <= nowMs) {
      this.ctx.storage.kv.delete(ATTEMPT);
      return { status: "missing" };
    }
    if (attempt.result === null) return { status: "pending", expiresAt: attempt.expiresAt };
    this.ctx.storage.kv.delete(ATTEMPT);
    return { status: "complete", result: attempt.result };
  }

  /** Drops whatever this object still holds once its flow or attempt can no longer be used. */
  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  async #scheduleCleanup(): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + FLOW_TTL_MS + CLEANUP_SLACK_MS);
  }
}

/** The stub holding one flow's state. */
export function flowStub(namespace: DurableObjectNamespace<OAuthFlow>, flowId: string) {
  return namespace.getByName(`flow:${flowId}`);
}

/** The stub holding one attempt. */
export function attemptStub(namespace: DurableObjectNamespace<OAuthFlow>, attemptId: string) {
  return namespace.getByName(`attempt:${attemptId}`);
}

function refuse(reason: ConsumeRefusal): Result<FlowRecord> {
  return fail({ code: "invalid_state", reason });
}
