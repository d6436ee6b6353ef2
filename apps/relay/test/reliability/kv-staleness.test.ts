import { describe, expect, it } from "vitest";
import { apiFetch, newApiKey } from "../api/api-support.ts";
import { getMedia } from "../cache/connected.ts";
import { connectUser, T0, useEmptyKv } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
useEmptyKv();

describe("KV staleness (S27)", () => {
  it("S27: after a disconnect, a location serving the stale record exports no token and calls no Instagram", async () => {
    const { fake } = ctx;
    faults.setVars({ API_TOKEN_EXPORT: "true" });
    const jane = await connectUser(fake, "jane.doe");
    const apiKey = await newApiKey();
    await faults.freezeKv("conn:");
    const removed = await apiFetch(`/v1/api/connections/${jane.connectionId}`, apiKey, { method: "DELETE" });
    expect(removed.status).toBe(200);
    // This location still reads the record (stale), yet the token route asks the coordinator.
    const token = await apiFetch(`/v1/api/connections/${jane.connectionId}/token`, apiKey);
    expect(token.status).toBe(404);
    const before = fake.calls.length;
    const media = await getMedia(jane, "?limit=5");
    expect(media.status).toBe(401);
    expect(fake.calls.length).toBe(before);
  });
});
