import { verifyConnectReceipt } from "@instagram-connect/client";
import type { ConnectReceiptClaims } from "@instagram-connect/types";
import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { newApiKey } from "../api/api-support.ts";
import { useFakeInstagram } from "../support/fake.ts";
import { relayFetch } from "../support/relay.ts";
import { connectWithSession, createSession } from "./session-support.ts";

const ctx = useFakeInstagram();

async function jwks(): Promise<JSONWebKeySet> {
  const response = await relayFetch("/.well-known/jwks.json");
  expect(response.status).toBe(200);
  return response.json<JSONWebKeySet>();
}

describe("signed connect receipts", () => {
  it("the JWKS publishes every configured key (rotation) and no private part", async () => {
    const set = await jwks();
    expect(set.keys.map((key) => key.kid)).toEqual(["r2", "r1"]);
    for (const key of set.keys) {
      expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
      expect(key).not.toHaveProperty("d");
    }
  });

  it("a consent answers a receipt signed with the newest key that verifies offline and binds the connection", async () => {
    const session = await createSession(await newApiKey(), { endUser: { id: "user-a" } });
    const message = await connectWithSession(ctx.fake, session.token);
    if (!message.result.ok || !message.result.receipt) throw new Error("no receipt");
    const { receipt, connection } = message.result;
    expect(decodeProtectedHeader(receipt)).toMatchObject({ alg: "EdDSA", kid: "r2" });
    const verified = await verifyConnectReceipt(receipt, { jwks: await jwks(), now: ctx.fake.clock.now() });
    if (!verified.ok) throw new Error(verified.reason);
    const claims: ConnectReceiptClaims = verified.claims;
    expect(claims).toMatchObject({
      sub: connection.id,
      endUserId: "user-a",
      instagramUserId: connection.profile.userId,
      origin: "https://app.example.com",
      iss: "https://relay.test",
    });
    expect(claims.exp - claims.iat).toBe(600);
  });

  it("a forged, tampered or expired receipt fails verification", async () => {
    const session = await createSession(await newApiKey());
    const message = await connectWithSession(ctx.fake, session.token);
    if (!message.result.ok || !message.result.receipt) throw new Error("no receipt");
    const receipt = message.result.receipt;
    const set = await jwks();
    const [header, payload, signature] = receipt.split(".");
    const claims = decodeJwt(receipt);
    const forgedPayload = btoa(JSON.stringify({ ...claims, endUserId: "user-b" }))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
    const now = ctx.fake.clock.now();
    const tampered = await verifyConnectReceipt(`${header}.${forgedPayload}.${signature}`, {
      jwks: set,
      now,
    });
    expect(tampered).toMatchObject({ ok: false, reason: "invalid_signature" });
    const otherKeys = { keys: set.keys.filter((key) => key.kid !== "r2") };
    expect(await verifyConnectReceipt(receipt, { jwks: otherKeys, now })).toMatchObject({ ok: false });
    expect(await verifyConnectReceipt(`${header}.${payload}`, { jwks: set, now })).toMatchObject({
      ok: false,
    });
    const expired = await verifyConnectReceipt(receipt, { jwks: set, now: now + 601_000 });
    expect(expired).toMatchObject({ ok: false, reason: "expired" });
  });
});
