import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { verifyConnectReceipt } from "../src/index.ts";

const NOW = Date.UTC(2026, 11, 1, 12);

async function signer(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA", use: "sig" };
  const sign = (claims: Record<string, unknown>, typ = "ic-connect-receipt+jwt", iat = NOW / 1000) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid, typ })
      .setIssuer("https://relay.example.com")
      .setSubject("conn_AAAAAAAAAAAAAAAAAAAAAA")
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .sign(privateKey);
  return { jwk, sign };
}

const claims = {
  endUserId: "user-a",
  instagramUserId: "17841400000000001",
  origin: "https://app.example.com",
};

describe("verifyConnectReceipt (Node)", () => {
  it("accepts a receipt of a listed key and returns its claims; checks origin and issuer when asked", async () => {
    const key = await signer("r1");
    const receipt = await key.sign(claims);
    const result = await verifyConnectReceipt(receipt, { jwks: { keys: [key.jwk] }, now: NOW });
    expect(result).toMatchObject({ ok: true, claims: { ...claims, sub: "conn_AAAAAAAAAAAAAAAAAAAAAA" } });
    const jwks = { keys: [key.jwk] };
    expect(await verifyConnectReceipt(receipt, { jwks, now: NOW, origin: "https://evil.example" })).toEqual({
      ok: false,
      reason: "wrong_origin",
    });
    expect(await verifyConnectReceipt(receipt, { jwks, now: NOW, issuer: "https://other.example" })).toEqual({
      ok: false,
      reason: "wrong_issuer",
    });
  });

  it("refuses a forged (other key), expired, wrong-typ or garbage receipt", async () => {
    const real = await signer("r1");
    const forger = await signer("r1");
    const jwks = { keys: [real.jwk] };
    const forged = await forger.sign(claims);
    expect(await verifyConnectReceipt(forged, { jwks, now: NOW })).toEqual({
      ok: false,
      reason: "invalid_signature",
    });
    const receipt = await real.sign(claims);
    expect(await verifyConnectReceipt(receipt, { jwks, now: NOW + 601_000 })).toEqual({
      ok: false,
      reason: "expired",
    });
    const wrongType = await real.sign(claims, "JWT");
    expect(await verifyConnectReceipt(wrongType, { jwks, now: NOW })).toMatchObject({ ok: false });
    expect(await verifyConnectReceipt("not.a.jws", { jwks, now: NOW })).toEqual({
      ok: false,
      reason: "malformed",
    });
    const unknownKid = await (await signer("r9")).sign(claims);
    expect(await verifyConnectReceipt(unknownKid, { jwks, now: NOW })).toEqual({
      ok: false,
      reason: "unknown_key",
    });
  });
});
