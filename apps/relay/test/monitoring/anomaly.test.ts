import { env } from "cloudflare:workers";
import { verifyWebhook } from "@instagram-connect/client";
import type { ConnectionHandle, UsageResponse } from "@instagram-connect/types";
import { describe, expect, it, vi } from "vitest";
import { monitoringSettings } from "../../src/config/relay-config.ts";
import { rateJump } from "../../src/usage/anomaly.ts";
import { flushUsage } from "../../src/usage/usage-recorder.ts";
import { connect, freshUser } from "../cache/connected.ts";
import { T0 } from "../refresh/lifecycle-helpers.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { useFaults } from "../support/faults.ts";
import { capturedLogs } from "../support/leak-collector.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { webhookReceiver } from "../support/webhook-receiver.ts";
import { anomaliesAbout, apiCall, keyWithId, usageOf } from "./monitoring-support.ts";

const ctx = useFakeInstagram({ now: () => T0 });
const faults = useFaults();
const HOUR_MS = 3_600_000;

/** `count` app-API reads by the key, then the counters are written. */
async function traffic(apiKey: string, count: number, country?: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    expect((await apiCall("/v1/api/connections?limit=1", apiKey, country)).status).toBe(200);
  }
  await flushUsage();
}

/** Waits until the outbox delivered everything queued for `outbox`, then returns the anomalies about `subjectId`. */
async function delivered(outbox: string, subjectId: string) {
  await vi.waitFor(async () => expect(await env.WEBHOOK_OUTBOX.getByName(outbox).pending()).toEqual([]), {
    timeout: 10_000,
  });
  return anomaliesAbout(subjectId).map((event) => event.data);
}

function widgetRead(handle: ConnectionHandle, country: string) {
  return relayFetch("/v1/connections/me", {
    headers: { Origin: SITE, Authorization: `Bearer ${handle.credential}` },
    cf: { country },
  } as RequestInit);
}

describe("security.anomaly", () => {
  it("S45: fires once when a key's hourly rate jumps far above its own baseline", async () => {
    faults.setVars({ ANOMALY_MIN_REQUESTS: "5", ANOMALY_RATE_FACTOR: "3" });
    const { apiKey, keyId } = await keyWithId(["connections:read"]);
    await traffic(apiKey, 1);
    ctx.fake.clock.advance(HOUR_MS);
    await traffic(apiKey, 1);
    ctx.fake.clock.advance(HOUR_MS);
    // Baseline 1 per hour: the alert needs max(5, 3 x 1) = 5 requests this hour.
    await traffic(apiKey, 4);
    expect(await delivered(`apikey:${keyId}`, keyId)).toEqual([]);
    await traffic(apiKey, 1);
    await traffic(apiKey, 3);

    const alerts = await delivered(`apikey:${keyId}`, keyId);
    expect(alerts).toEqual([
      {
        anomaly: {
          kind: "rate_jump",
          subject: { type: "api_key", id: keyId },
          windowStart: new Date(Math.floor(ctx.fake.clock.now() / HOUR_MS) * HOUR_MS).toISOString(),
          requests: 5,
          baselinePerHour: 1,
        },
      },
    ]);
    expect(
      capturedLogs().some((line) => line.includes('"event":"security.anomaly"') && line.includes(keyId)),
    ).toBe(true);
  });

  it("S45: stays quiet for normal traffic and for a new key's first busy hour", async () => {
    faults.setVars({ ANOMALY_MIN_REQUESTS: "5", ANOMALY_RATE_FACTOR: "3" });
    const steady = await keyWithId(["connections:read"]);
    const fresh = await keyWithId(["connections:read"]);
    await traffic(fresh.apiKey, 12);
    await traffic(steady.apiKey, 3);
    ctx.fake.clock.advance(HOUR_MS);
    await traffic(steady.apiKey, 3);
    ctx.fake.clock.advance(HOUR_MS);
    // Baseline 3 per hour: 8 requests stay under 3 x 3.
    await traffic(steady.apiKey, 8);
    expect(await delivered(`apikey:${steady.keyId}`, steady.keyId)).toEqual([]);
    expect(await delivered(`apikey:${fresh.keyId}`, fresh.keyId)).toEqual([]);
  });

  it("S45: fires on a country a key never used, once per hour, never for its first country", async () => {
    const { apiKey, keyId } = await keyWithId(["connections:read"]);
    await traffic(apiKey, 2, "DE");
    expect(await delivered(`apikey:${keyId}`, keyId)).toEqual([]);
    await traffic(apiKey, 1, "br");
    await traffic(apiKey, 1, "BR");
    await traffic(apiKey, 1, "FR");
    const firstHour = await delivered(`apikey:${keyId}`, keyId);
    expect(firstHour.map((data) => data.anomaly)).toEqual([
      {
        kind: "new_country",
        subject: { type: "api_key", id: keyId },
        windowStart: expect.any(String),
        newCountries: ["BR"],
        knownCountries: ["DE"],
      },
    ]);
    expect(firstHour[0]?.connectionId).toBeUndefined();
    // The delivery is signed like every webhook, and the client package accepts it without a connection.
    const delivery = webhookReceiver.deliveries.find((item) => item.body.includes(keyId));
    const verified = await verifyWebhook({
      body: delivery?.body ?? "",
      headers: delivery?.headers ?? new Headers(),
      secret: String(Reflect.get(env, "WEBHOOK_SECRET")),
      now: () => ctx.fake.clock.now(),
    });
    expect(verified.ok && verified.event.type).toBe("security.anomaly");

    // FR came after this hour's alert: it is still new, and alerts in a later hour.
    ctx.fake.clock.advance(HOUR_MS);
    await traffic(apiKey, 1, "FR");
    const later = await delivered(`apikey:${keyId}`, keyId);
    expect(later.map((data) => data.anomaly?.newCountries)).toEqual([["BR"], ["FR"]]);
    const usage: UsageResponse = await usageOf("/v1/api/usage", apiKey);
    expect(usage.countries).toEqual(["DE", "BR", "FR"]);
  });

  it("S45: fires on a widget credential used from a new country; the app's own calls on it never count", async () => {
    const handle = await connect(ctx.fake, freshUser(ctx.fake));
    const { apiKey } = await keyWithId();
    expect((await widgetRead(handle, "DE")).status).toBe(200);
    await flushUsage();
    expect((await apiCall(`/v1/api/connections/${handle.connectionId}`, apiKey, "JP")).status).toBe(200);
    await flushUsage();
    expect(await delivered(handle.connectionId, handle.connectionId)).toEqual([]);

    expect((await widgetRead(handle, "US")).status).toBe(200);
    await flushUsage();
    const alerts = await delivered(handle.connectionId, handle.connectionId);
    expect(alerts).toEqual([
      {
        connectionId: handle.connectionId,
        anomaly: {
          kind: "new_country",
          subject: { type: "connection", id: handle.connectionId },
          windowStart: expect.any(String),
          newCountries: ["US"],
          knownCountries: ["DE"],
        },
      },
    ]);
  });

  it("S45: ANOMALY_NEW_COUNTRY=false turns country alerts off; counting goes on", async () => {
    faults.setVars({ ANOMALY_NEW_COUNTRY: "false" });
    const { apiKey, keyId } = await keyWithId(["connections:read"]);
    await traffic(apiKey, 1, "DE");
    await traffic(apiKey, 1, "NZ");
    expect(await delivered(`apikey:${keyId}`, keyId)).toEqual([]);
    expect((await usageOf("/v1/api/usage", apiKey)).countries).toEqual(["DE", "NZ"]);
  });
});

describe("anomaly settings and baseline", () => {
  it("S45: parses the thresholds with defaults and refuses bad values by name", () => {
    expect(monitoringSettings({})).toEqual({
      ok: true,
      value: { rateFactor: 10, minRequests: 100, baselineHours: 24, newCountry: true },
    });
    expect(monitoringSettings({ ANOMALY_RATE_FACTOR: "1" })).toMatchObject({
      ok: false,
      failure: { code: "config_error", setting: "ANOMALY_RATE_FACTOR" },
    });
    expect(monitoringSettings({ ANOMALY_NEW_COUNTRY: "maybe" })).toMatchObject({
      ok: false,
      failure: { code: "config_error", setting: "ANOMALY_NEW_COUNTRY" },
    });
  });

  it("averages quiet hours as zero and only over the hours the subject has existed", () => {
    const settings = { rateFactor: 10, minRequests: 10, baselineHours: 24, newCountry: true };
    const counts = new Map([[8, 4]]);
    const history = (hour: number, requests: number) => ({
      hour,
      requests,
      firstHour: 8,
      requestsIn: (at: number) => counts.get(at) ?? 0,
    });
    // Hours 8 and 9 before hour 10: (4 + 0) / 2 = 2 per hour, threshold max(10, 20).
    expect(rateJump(history(10, 19), settings)).toBeNull();
    expect(rateJump(history(10, 20), settings)).toBe(2);
    expect(rateJump(history(8, 1000), settings)).toBeNull();
  });
});
