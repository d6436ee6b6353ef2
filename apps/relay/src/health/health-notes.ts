import type { AuditEvent } from "@instagram-connect/types";
import { logEvent } from "../log.ts";
import { HEALTH_LEDGER_NAME, type HealthTransition } from "./health-ledger.ts";

/** The env slice that reaches the ledger. */
export type HealthEnv = Pick<Env, "HEALTH_LEDGER">;

/**
 * Reports one transition to the health ledger. Never throws: a ledger that cannot be reached
 * loses that figure (logged) and never fails the refresh, removal or delivery reporting it.
 */
export async function noteHealth(env: HealthEnv, transition: HealthTransition): Promise<void> {
  try {
    await env.HEALTH_LEDGER.getByName(HEALTH_LEDGER_NAME).apply(transition);
  } catch (error) {
    logEvent("warn", "health.note_failed", {
      kind: transition.kind,
      error: error instanceof Error ? error.name : typeof error,
    });
  }
}

/** The ledger transition a lifecycle audit event means (null: none). */
export function healthTransitionFor(event: AuditEvent): HealthTransition | null {
  const { connectionId } = event;
  const at = Date.parse(event.at);
  switch (event.event) {
    case "refresh_failed": {
      // Reason as written by scheduleRetry: `<code>:attempt_<n>`.
      const [code = "unknown", attempt = ""] = (event.reason ?? "").split(":attempt_");
      const failures = Number.parseInt(attempt, 10);
      return {
        kind: "refresh_failed",
        connectionId,
        failures: failures > 0 ? failures : 1,
        reason: code,
        at,
      };
    }
    case "refreshed":
      return { kind: "refresh_recovered", connectionId };
    case "reauth_required":
      return { kind: "reauth_required", connectionId, reason: event.reason ?? "unknown", at };
    case "connected":
    case "disconnected":
    case "deauthorized":
    case "deleted":
      return { kind: "connection_gone_or_reconnected", connectionId };
  }
}
