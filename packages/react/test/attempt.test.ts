import { describe, expect, it } from "vitest";
import { createAttempt, startUrl } from "../src/attempt.ts";
import { mockRelay, RELAY, relayError } from "./helpers.tsx";

const sha256base64url = async (text: string) => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
};

describe("createAttempt", () => {
  it("asks the relay for an id with a fresh verifier in a form body (never a URL), fresh every time", async () => {
    const fetchMock = mockRelay({});
    const attempts = await Promise.all(Array.from({ length: 20 }, () => createAttempt(RELAY)));
    for (const attempt of attempts) {
      expect(attempt.attemptId).toMatch(/^[A-Za-z0-9_-]{50}$/);
      expect(attempt.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    }
    expect(new Set(attempts.map((a) => a.verifier)).size).toBe(20);
    for (const [input, init] of fetchMock.mock.calls) {
      expect(String(input)).toBe(`${RELAY}/v1/oauth/attempts`);
      expect(init?.method).toBe("POST");
      expect(String(input)).not.toMatch(/verifier/);
      expect(init?.body).toBeInstanceOf(URLSearchParams);
    }
  });

  it("keeps the relay's challenge = base64url(SHA-256(verifier)) for the start", async () => {
    mockRelay({});
    const attempt = await createAttempt(RELAY);
    expect(attempt.challenge).toBe(await sha256base64url(attempt.verifier));
    expect(attempt.challenge).not.toBe(attempt.verifier);
  });

  it("a refused issue (rate limited) rejects with the relay's typed error", async () => {
    mockRelay({ "POST /v1/oauth/attempts": () => relayError("rate_limited", 429, { retryAfter: 7 }) });
    await expect(createAttempt(RELAY)).rejects.toMatchObject({ code: "rate_limited", retryAfter: 7 });
  });
});

describe("startUrl", () => {
  it("builds the relay start URL with origin, comma-separated scopes, mode, attempt and challenge", async () => {
    mockRelay({});
    const attempt = await createAttempt(RELAY);
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
    mockRelay({});
    const attempt = await createAttempt(RELAY);
    const url = new URL(
      startUrl(RELAY, attempt, ["instagram_business_basic"], "redirect", "https://site.test/p"),
    );
    expect(url.searchParams.get("mode")).toBe("redirect");
    expect(url.searchParams.get("returnTo")).toBe("https://site.test/p");
  });
});
