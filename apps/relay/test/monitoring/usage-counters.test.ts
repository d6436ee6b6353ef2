import type { ConnectionResponse } from "@instagram-connect/types";
import { describe, expect, it, vi } from "vitest";
import { flushUsage } from "../../src/usage/usage-recorder.ts";
import { UNKNOWN_CONNECTION } from "../api/api-support.ts";
import { connect, freshUser, getMe } from "../cache/connected.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { apiCall, keyWithId, usageOf } from "./monitoring-support.ts";

const ctx = useFakeInstagram();
const faults = useFaults();

describe("usage counters", () => {
  it("S43: count a key's requests and errors per hour and per day", async () => {
    const { apiKey, keyId } = await keyWithId(["connections:read"]);
    for (let i = 0; i < 3; i++)
      expect((await apiCall("/v1/api/connections?limit=1", apiKey)).status).toBe(200);
    expect((await apiCall(`/v1/api/connections/${UNKNOWN_CONNECTION}`, apiKey)).status).toBe(404);
    await flushUsage();

    const hourly = await usageOf("/v1/api/usage", apiKey);
    expect(hourly.subject).toEqual({ type: "api_key", id: keyId });
    expect(hourly.window).toBe("hour");
    expect(hourly.totals).toEqual({ requests: 4, errors: 1 });
    expect(hourly.items).toHaveLength(1);
    expect(hourly.items[0]?.bySource).toEqual({ api: { requests: 4, errors: 1 } });
    expect(new Date(hourly.items[0]?.start ?? "").getUTCMinutes()).toBe(0);
    await flushUsage();

    // The first usage read is itself a request of the key (counted after it answered).
    const daily = await usageOf("/v1/api/usage?window=day", apiKey);
    expect(daily.totals).toEqual({ requests: 5, errors: 1 });
    expect(daily.items[0]?.start).toMatch(/T00:00:00\.000Z$/);
  });

  it("S43: reach the counter object on their own, off the response path (no flush by the test)", async () => {
    const { apiKey, keyId } = await keyWithId(["connections:read"]);
    const monitor = await keyWithId(["monitoring:read"]);
    for (let i = 0; i < 2; i++)
      expect((await apiCall("/v1/api/connections?limit=1", apiKey)).status).toBe(200);
    // Each request's own waitUntil timer writes the batch about a second later.
    await vi.waitFor(
      async () => {
        const usage = await usageOf(`/v1/api/usage?keyId=${keyId}`, monitor.apiKey);
        expect(usage.totals).toEqual({ requests: 2, errors: 0 });
      },
      { timeout: 15_000, interval: 250 },
    );
  });

  it("S43: count a connection's widget and app-API requests apart; an unknown connection counts nothing", async () => {
    const handle = await connect(ctx.fake, freshUser(ctx.fake));
    const { apiKey } = await keyWithId();
    for (let i = 0; i < 2; i++) expect((await getMe(handle)).status).toBe(200);
    expect((await apiCall(`/v1/api/connections/${handle.connectionId}`, apiKey)).status).toBe(200);
    expect((await apiCall(`/v1/api/connections/${UNKNOWN_CONNECTION}`, apiKey)).status).toBe(404);
    await flushUsage();

    const usage = await usageOf(`/v1/api/connections/${handle.connectionId}/usage`, apiKey);
    expect(usage.subject).toEqual({ type: "connection", id: handle.connectionId });
    expect(usage.totals).toEqual({ requests: 3, errors: 0 });
    expect(usage.items[0]?.bySource).toEqual({
      widget: { requests: 2, errors: 0 },
      api: { requests: 1, errors: 0 },
    });
    const unknown = await apiCall(`/v1/api/connections/${UNKNOWN_CONNECTION}/usage`, apiKey);
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: "connection_not_found" } });
  });

  it("S15, S43: a key reads its own usage with any operation; other keys, connections and health need monitoring:read", async () => {
    const reader = await keyWithId(["media:read"]);
    const other = await keyWithId(["connections:read"]);
    const monitor = await keyWithId(["monitoring:read"]);
    expect((await apiCall("/v1/api/usage", reader.apiKey)).status).toBe(200);
    expect((await apiCall(`/v1/api/usage?keyId=${reader.keyId}`, reader.apiKey)).status).toBe(200);
    const refused = await apiCall(`/v1/api/usage?keyId=${other.keyId}`, reader.apiKey);
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await apiCall(`/v1/api/connections/${UNKNOWN_CONNECTION}/usage`, reader.apiKey)).status).toBe(
      403,
    );
    expect((await apiCall("/v1/api/health", reader.apiKey)).status).toBe(403);

    await flushUsage();
    const seen = await usageOf(`/v1/api/usage?keyId=${other.keyId}`, monitor.apiKey);
    expect(seen.subject.id).toBe(other.keyId);
    const missing = await apiCall("/v1/api/usage?keyId=key_AAAAAAAAAAAAAAAAAAAAAA", monitor.apiKey);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it.each([
    ["a malformed key id", "/v1/api/usage?keyId=nope"],
    ["an unknown window", "/v1/api/usage?window=week"],
    ["an unknown parameter", "/v1/api/usage?limit=3"],
    ["a malformed connection id", "/v1/api/connections/conn_x/usage"],
  ])("answer 400 invalid_request for %s", async (_name, path) => {
    const { apiKey } = await keyWithId();
    const response = await apiCall(path, apiKey);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: "invalid_request" } });
  });

  it("S43: a failing counter store never fails or changes the request it counts (fault harness)", async () => {
    const handle = await connect(ctx.fake, freshUser(ctx.fake));
    const { apiKey, keyId } = await keyWithId();
    faults.durableObject({ binding: "USAGE_COUNTERS", method: "record", effect: "fail", times: Infinity });
    const me = await getMe(handle);
    expect(me.status).toBe(200);
    expect(me.json<ConnectionResponse>().connection.id).toBe(handle.connectionId);
    expect((await apiCall(`/v1/api/connections/${handle.connectionId}`, apiKey)).status).toBe(200);
    await flushUsage();
    expect(faults.injected).toBeGreaterThanOrEqual(2);
    const lost = capturedLogs().filter((line) => line.includes("usage.flush_failed"));
    expect(lost.some((line) => line.includes(handle.connectionId))).toBe(true);
    expect(lost.some((line) => line.includes(keyId))).toBe(true);
  });
});
