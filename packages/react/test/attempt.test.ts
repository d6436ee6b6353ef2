import { describe, expect, it } from "vitest";
import { createAttempt, startUrl } from "../src/attempt.ts";
import { RELAY } from "./helpers.tsx";

const sha256base64url = async (text: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
};

describe("createAttempt", () => {
  it("makes a 32-char base64url attempt id and a 43-char verifier, fresh every time", async () => {
    const attempts = await Promise.all(Array.from({ length: 50 }, () => createAttempt()));
    for (const attempt of attempts) {
      expect(attempt.attemptId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(attempt.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    expect(new Set(attempts.map((a) => a.attemptId)).size).toBe(50);
    expect(new Set(attempts.map((a) => a.verifier)).size).toBe(50);
  });

  it("sends only challenge = base64url(SHA-256(verifier))", async () => {
    const attempt = await createAttempt();
    expect(attempt.challenge).toBe(await sha256base64url(attempt.verifier));
    expect(attempt.challenge).toHaveLength(43);
    expect(attempt.challenge).not.toBe(attempt.verifier);
  });
});

describe("startUrl", () => {
  it("builds the relay start URL with origin, comma-separated scopes, mode, attempt and challenge", async () => {
    const attempt = await createAttempt();
    const url = new URL(
      startUrl(RELAY, attempt, ["instagram_business_basic", "instagram_business_content_publish"], "popup"),
    );
    expect(url.origin + url.pathname).toBe(`${RELAY}/v1/oauth/start`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      origin: location.origin,
      scopes: "instagram_business_basic,instagram_business_content_publish",
      mode: "popup",
      attemptId: attempt.attemptId,
      challenge: attempt.challenge,
    });
    expect(url.search).not.toContain(attempt.verifier);
  });

  it("adds returnTo only when given (redirect mode)", async () => {
    const attempt = await createAttempt();
    const url = new URL(
      startUrl(RELAY, attempt, ["instagram_business_basic"], "redirect", "https://site.test/p"),
    );
    expect(url.searchParams.get("mode")).toBe("redirect");
    expect(url.searchParams.get("returnTo")).toBe("https://site.test/p");
  });
});
