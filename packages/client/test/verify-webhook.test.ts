import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhook } from "../src/index.ts";

const secret = "whsec_0123456789abcdefghijklmnop";
const nowMs = Date.UTC(2026, 10, 23, 9, 0, 0);
const body = JSON.stringify({
  id: "evt_1",
  type: "connection.created",
  createdAt: "2026-11-23T09:00:00.000Z",
  data: { connectionId: "conn_q3N0x6b8Yp1mZC2rT9wE4A" },
});

// An independent signer (node:crypto) so the verifier is checked against the documented scheme.
function sign(timestamp: number, payload: string, key = secret): string {
  return `v1=${createHmac("sha256", key).update(`${timestamp}.${payload}`).digest("hex")}`;
}

function headers(timestamp: number, signature: string): Record<string, string> {
  return { "x-ic-timestamp": String(timestamp), "X-IC-Signature": signature };
}

describe("verifyWebhook", () => {
  const ts = nowMs / 1000;

  it("accepts a correctly signed, fresh delivery and returns the event", async () => {
    const result = await verifyWebhook({
      body,
      headers: headers(ts, sign(ts, body)),
      secret,
      now: () => nowMs,
    });
    expect(result).toEqual({ ok: true, event: JSON.parse(body) });
  });

  it("accepts a Headers object and one of several signatures (secret rotation)", async () => {
    const signature = `${sign(ts, body, "old-secret-old-secret-old")}, ${sign(ts, body)}`;
    const result = await verifyWebhook({
      body,
      headers: new Headers(headers(ts, signature)),
      secret,
      now: () => nowMs,
    });
    expect(result.ok).toBe(true);
  });

  it("refuses a tampered body, a wrong secret and a missing signature", async () => {
    const good = sign(ts, body);
    const tampered = body.replace("connection.created", "connection.deleted");
    expect(
      await verifyWebhook({ body: tampered, headers: headers(ts, good), secret, now: () => nowMs }),
    ).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    const otherSecret = sign(ts, body, "another-secret-another-secret");
    expect(
      (await verifyWebhook({ body, headers: headers(ts, otherSecret), secret, now: () => nowMs })).ok,
    ).toBe(false);
    expect(
      await verifyWebhook({ body, headers: { "X-IC-Timestamp": String(ts) }, secret, now: () => nowMs }),
    ).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("refuses a replay outside the tolerance window, in either direction", async () => {
    const old = ts - 301;
    expect(
      await verifyWebhook({ body, headers: headers(old, sign(old, body)), secret, now: () => nowMs }),
    ).toEqual({
      ok: false,
      reason: "stale_timestamp",
    });
    const future = ts + 301;
    expect(
      (await verifyWebhook({ body, headers: headers(future, sign(future, body)), secret, now: () => nowMs }))
        .ok,
    ).toBe(false);
    const within = ts - 299;
    expect(
      (await verifyWebhook({ body, headers: headers(within, sign(within, body)), secret, now: () => nowMs }))
        .ok,
    ).toBe(true);
    expect(
      (
        await verifyWebhook({
          body,
          headers: headers(old, sign(old, body)),
          secret,
          toleranceSeconds: 600,
          now: () => nowMs,
        })
      ).ok,
    ).toBe(true);
  });

  it("refuses a signed body that is not a webhook event", async () => {
    const other = JSON.stringify({ id: "x", type: "something.else", createdAt: "now", data: {} });
    expect(
      await verifyWebhook({ body: other, headers: headers(ts, sign(ts, other)), secret, now: () => nowMs }),
    ).toEqual({ ok: false, reason: "malformed_body" });
  });

  it("accepts a security.anomaly about an API key (no connectionId); other events still need one", async () => {
    const anomaly = JSON.stringify({
      id: "evt_2",
      type: "security.anomaly",
      createdAt: "2026-11-23T09:00:00.000Z",
      data: {
        anomaly: {
          kind: "new_country",
          subject: { type: "api_key", id: "key_8NqTZjg-P0fIM9Il1s4iYg" },
          windowStart: "2026-11-23T09:00:00.000Z",
          newCountries: ["BR"],
          knownCountries: ["DE"],
        },
      },
    });
    const verified = await verifyWebhook({
      body: anomaly,
      headers: headers(ts, sign(ts, anomaly)),
      secret,
      now: () => nowMs,
    });
    expect(verified).toEqual({ ok: true, event: JSON.parse(anomaly) });
    const orphan = JSON.stringify({ id: "evt_3", type: "connection.created", createdAt: "x", data: {} });
    expect(
      await verifyWebhook({ body: orphan, headers: headers(ts, sign(ts, orphan)), secret, now: () => nowMs }),
    ).toEqual({ ok: false, reason: "malformed_body" });
  });
});
