import { env } from "cloudflare:workers";
import type { AuditEvent } from "@instagram-connect/types";
import { afterEach, describe, expect, it } from "vitest";
import { listAuditEvents, recordAuditEvent } from "../../src/audit/audit-trail.ts";
import { disconnectConnection } from "../../src/lifecycle/disconnect-connection.ts";
import { type LifecycleNotice, onLifecycleEvent } from "../../src/lifecycle/lifecycle-events.ts";
import { AUDIT_EVENT_TTL_S, auditPrefix } from "../../src/storage/kv-keys.ts";
import { webhookEventFor } from "../../src/webhooks/lifecycle-webhooks.ts";
import { auditNames, connectUser, DAY_MS, T0, useEmptyKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { relayFetch, SITE } from "../support/relay.ts";

const ctx = useFakeInstagram({ now: () => T0 });
useEmptyKv();

const unsubscribes: (() => void)[] = [];
afterEach(() => {
  for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
});

function listen(): LifecycleNotice[] {
  const seen: LifecycleNotice[] = [];
  unsubscribes.push(onLifecycleEvent((notice) => void seen.push(notice)));
  return seen;
}

describe("audit trail", () => {
  it("keeps every one of many concurrent writes for one connection", async () => {
    const connectionId = "conn_concurrentAAAAAAAAAAA";
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        recordAuditEvent(env, { event: "refresh_failed", connectionId, reason: `attempt_${n}`, atMs: T0 }),
      ),
    );
    const page = await listAuditEvents(env, connectionId, { limit: 100 });
    expect(page.items).toHaveLength(30);
    expect(new Set(page.items.map((item) => item.reason)).size).toBe(30);
    expect(page.nextCursor).toBeNull();
  });

  it("pages newest first with a cursor", async () => {
    const connectionId = "conn_pagingAAAAAAAAAAAAAAA";
    for (let n = 0; n < 7; n++) {
      await recordAuditEvent(env, {
        event: "refreshed",
        connectionId,
        reason: `r${n}`,
        atMs: T0 + n * DAY_MS,
      });
    }
    const reasons: (string | null)[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listAuditEvents(env, connectionId, { limit: 3, ...(cursor ? { cursor } : {}) });
      pages++;
      reasons.push(...page.items.map((item) => item.reason));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(pages).toBe(3);
    expect(reasons).toEqual(["r6", "r5", "r4", "r3", "r2", "r1", "r0"]);
    const first = await listAuditEvents(env, connectionId, { limit: 1 });
    expect(first.items[0]).toEqual<AuditEvent>({
      event: "refreshed",
      at: new Date(T0 + 6 * DAY_MS).toISOString(),
      connectionId,
      reason: "r6",
    });
  });

  it("expires events after 90 days and keeps reasons to a safe code alphabet", async () => {
    const connectionId = "conn_retentionAAAAAAAAAAA";
    await recordAuditEvent(env, { event: "disconnected", connectionId, reason: "<b>free text</b> & more" });
    const listed = await env.CONNECTIONS.list({ prefix: auditPrefix(connectionId) });
    const expiration = listed.keys[0]?.expiration ?? 0;
    const nowS = Date.now() / 1000;
    expect(expiration).toBeGreaterThan(nowS + AUDIT_EVENT_TTL_S - 120);
    expect(expiration).toBeLessThanOrEqual(nowS + AUDIT_EVENT_TTL_S + 120);
    const [event] = (await listAuditEvents(env, connectionId)).items;
    expect(event?.reason).toBe("_b_free_text__b____more");
  });

  it("writes one structured JSON log line per event", async () => {
    const connectionId = "conn_loglineAAAAAAAAAAAAA";
    await recordAuditEvent(env, { event: "reauth_required", connectionId, reason: "reauth_required" });
    const lines = capturedLogs()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === "audit" && line.connectionId === connectionId);
    expect(lines).toEqual([
      {
        level: "info",
        event: "audit",
        audit: "reauth_required",
        connectionId,
        reason: "reauth_required",
        at: new Date(T0).toISOString(),
      },
    ]);
  });

  it("S22: records connected and disconnected for the widget flow, with no token or personal data", async () => {
    const { fake } = ctx;
    const seen = listen();
    const handle = await connectUser(fake);
    fake.clock.advance(60_000);
    const gone = await relayFetch("/v1/connections/me", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${handle.credential}`, Origin: SITE },
    });
    expect(gone.status).toBe(200);
    expect(await auditNames(handle.connectionId)).toEqual(["connected", "disconnected"]);
    const page = await listAuditEvents(env, handle.connectionId);
    expect(page.items.map((item) => item.reason)).toEqual(["user_disconnected", "consent"]);
    const stored = JSON.stringify(await env.CONNECTIONS.list({ prefix: auditPrefix(handle.connectionId) }));
    for (const secretish of [
      handle.credential.split(".")[1] ?? "",
      "jane.doe",
      "27640875392278831",
      "IGAA",
    ]) {
      expect(stored).not.toContain(secretish);
    }
    expect(seen.map((notice) => [notice.event.event, notice.connection?.id])).toEqual([
      ["connected", handle.connectionId],
      ["disconnected", handle.connectionId],
    ]);
    expect(seen[0]?.reconnected).toBe(false);
  });
});

describe("lifecycle events", () => {
  it("a failing listener neither blocks the change nor the other listeners", async () => {
    const { fake } = ctx;
    const handle = await connectUser(fake);
    unsubscribes.push(
      onLifecycleEvent(() => {
        throw new Error("listener broke");
      }),
    );
    const seen = listen();
    const result = await disconnectConnection(env, handle.connectionId, "api_disconnect");
    expect(result).toEqual({ removed: true, connectionId: handle.connectionId });
    expect(seen.map((notice) => notice.event.event)).toEqual(["disconnected"]);
    expect(capturedLogs().some((line) => line.includes('"lifecycle_listener_failed"'))).toBe(true);
    // Idempotent: a second disconnect finds nothing and announces nothing.
    expect((await disconnectConnection(env, handle.connectionId, "api_disconnect")).removed).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it("maps audit events to webhook event names", () => {
    expect(webhookEventFor("connected")).toBe("connection.created");
    expect(webhookEventFor("refreshed")).toBe("connection.refreshed");
    expect(webhookEventFor("reauth_required")).toBe("connection.reauth_required");
    expect(webhookEventFor("disconnected")).toBe("connection.deleted");
    expect(webhookEventFor("deauthorized")).toBe("connection.deleted");
    expect(webhookEventFor("deleted")).toBe("connection.deleted");
    expect(webhookEventFor("refresh_failed")).toBeNull();
  });
});
