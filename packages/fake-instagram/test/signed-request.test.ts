import { describe, expect, it } from "vitest";
import {
  base64UrlDecode,
  buildSignedRequest,
  corruptSignedRequestSignature,
  createFakeInstagram,
  signedRequestWithAlgorithm,
  tamperSignedRequest,
  verifySignedRequest,
} from "../src/index.ts";

const SECRET = "fake-client-secret";

/** An independent verifier: HMAC-SHA256 over the encoded payload segment, as Meta documents. */
async function verifiesWithWebCrypto(signed: string, secret: string): Promise<boolean> {
  const [signature = "", payload = ""] = signed.split(".");
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return crypto.subtle.verify("HMAC", key, base64UrlDecode(signature), new TextEncoder().encode(payload));
}

function payloadOf(signed: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64UrlDecode(signed.split(".")[1] ?? ""))) as Record<
    string,
    unknown
  >;
}

describe("signed_request", () => {
  it("fake.signedRequest builds an unpadded base64url request that verifies with the app secret", async () => {
    let now = 1_700_000_000_123;
    const fake = createFakeInstagram({ now: () => now });
    const signed = await fake.signedRequest({
      userId: "17841477965412211",
      extra: { expires: 1_700_000_600 },
    });
    expect(signed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifiesWithWebCrypto(signed, SECRET)).toBe(true);
    expect(await verifiesWithWebCrypto(signed, "another-secret")).toBe(false);
    expect(payloadOf(signed)).toEqual({
      algorithm: "HMAC-SHA256",
      issued_at: 1_700_000_000,
      user_id: "17841477965412211",
      expires: 1_700_000_600,
    });
    now += 1000;
    expect(await verifySignedRequest(signed, SECRET)).toMatchObject({ user_id: "17841477965412211" });
  });

  it("honours issuedAt, secret and algorithm overrides", async () => {
    const fake = createFakeInstagram();
    const signed = await fake.signedRequest({
      userId: "1",
      issuedAt: 42,
      secret: "other",
      algorithm: "HMAC-SHA1",
    });
    expect(payloadOf(signed)).toMatchObject({ issued_at: 42, algorithm: "HMAC-SHA1" });
    expect(await verifiesWithWebCrypto(signed, "other")).toBe(true);
    // Signature fine, algorithm wrong: a correct verifier refuses it.
    expect(await verifySignedRequest(signed, "other")).toBeUndefined();
  });

  it("tampered payloads and corrupted signatures do not verify", async () => {
    const valid = await buildSignedRequest({ algorithm: "HMAC-SHA256", issued_at: 1, user_id: "a" }, SECRET);
    const tampered = tamperSignedRequest(valid, { user_id: "b" });
    expect(payloadOf(tampered).user_id).toBe("b");
    expect(tampered.split(".")[0]).toBe(valid.split(".")[0]);
    expect(await verifiesWithWebCrypto(tampered, SECRET)).toBe(false);
    const corrupted = corruptSignedRequestSignature(valid);
    expect(corrupted.split(".")[1]).toBe(valid.split(".")[1]);
    expect(await verifiesWithWebCrypto(corrupted, SECRET)).toBe(false);
    expect(await verifySignedRequest(corrupted, SECRET)).toBeUndefined();
    expect(await verifySignedRequest("no-dot-here", SECRET)).toBeUndefined();
  });

  it("signedRequestWithAlgorithm signs correctly but claims another algorithm", async () => {
    const signed = await signedRequestWithAlgorithm({ user_id: "a", issued_at: 1 }, "HMAC-SHA1", SECRET);
    expect(await verifiesWithWebCrypto(signed, SECRET)).toBe(true);
    expect(payloadOf(signed).algorithm).toBe("HMAC-SHA1");
  });
});
