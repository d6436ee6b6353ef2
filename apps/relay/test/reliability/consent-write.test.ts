import { describe, expect, it, vi } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import {
  auditNames,
  connectUser,
  readMe,
  storedRecord,
  T0,
  useEmptyKv,
} from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { capturedLogs } from "../support/leak-collector.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

// The consent's write is merged with the stored record by the connection's coordinator, which
// reads what it last wrote, and it answers before the `connected` event is announced (issue 17
// goal 6). These are the invariants that must survive that.
describe("a consent's write (issue 17 goal 6, S27, S31)", () => {
  it("S31: reconnects served a stale record by this location keep every live widget credential and the app's metadata", async () => {
    const { fake } = ctx;
    const first = await connectUser(fake, "jane.doe");
    const apiKey = await newApiKey();
    // This location's KV keeps answering the record as it was (another location's edge cache).
    await faults.freezeKv("conn:");
    const patched = await apiFetch(`/v1/api/connections/${first.connectionId}`, apiKey, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ metadata: { plan: "pro" } }),
    });
    expect(patched.status).toBe(200);
    const second = await connectUser(fake, "jane.doe");
    const third = await connectUser(fake, "jane.doe");
    expect(new Set([first.connectionId, second.connectionId, third.connectionId]).size).toBe(1);
    faults.thaw();

    // Each consent was merged with the record as its coordinator last wrote it, not the stale copy.
    for (const handle of [first, second, third]) expect((await readMe(handle)).status).toBe(200);
    expect((await storedRecord(first.connectionId)).metadata).toEqual({ plan: "pro" });
  });

  it("a failing audit write does not fail a consent that is stored; it is logged, and the next event is recorded", async () => {
    const { fake } = ctx;
    faults.kv({ method: "put", prefix: "audit:", effect: "fail" });
    const handle = await connectUser(fake, "jane.doe");
    expect((await readMe(handle)).status).toBe(200);
    await vi.waitFor(() =>
      expect(capturedLogs().some((line) => line.includes("lifecycle_event_failed"))).toBe(true),
    );
    // The same connection's next change waits for the announcement and is recorded.
    await connectUser(fake, "jane.doe");
    expect(await auditNames(handle.connectionId)).toEqual(["connected"]);
  });
});
