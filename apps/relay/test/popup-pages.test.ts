// Every relay page a consent popup can land on hands a typed result back to the widget (issue 19):
// a refused start, the rate limit included, is a small HTML page, not raw JSON.
import { ROUTES } from "@instagram-connect/types";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../src/config/rate-limit-policies.ts";
import { setClockForTests } from "../src/runtime.ts";
import { freshIp } from "./rate-limit/helpers.ts";
import { newAttempt, postedMessage, startPath } from "./support/flow.ts";
import { relayFetch, SITE } from "./support/relay.ts";

const BROWSER = { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

afterEach(() => setClockForTests(null));

describe("popup pages", () => {
  it("a rate-limited start shows an HTML page that posts rate_limited with retryAfter to the site, not JSON", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const headers = { ...BROWSER, "CF-Connecting-IP": freshIp() };
    for (let i = 0; i <= DEFAULT_RATE_LIMITS.oauth.burst; i++)
      await relayFetch(ROUTES.oauthCallback, { headers });
    const attempt = await newAttempt();
    const page = await relayFetch(startPath(attempt), { headers });

    expect(page.status).toBe(429);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(page.headers.get("Retry-After")).toBe("3");
    expect(page.headers.get("Content-Security-Policy")).toMatch(/script-src 'nonce-[^']+'/);
    expect(page.text).toContain('data-error-code="rate_limited"');
    expect(page.text).not.toContain('{"error"');
    const { message, targetOrigin } = postedMessage(page.text);
    expect(targetOrigin).toBe(SITE);
    expect(message).toMatchObject({
      version: 1,
      attemptId: attempt.attemptId,
      result: { ok: false, error: { code: "rate_limited", retryAfter: 3 } },
    });
  });

  it("S4: a rate-limited start from an origin not on the allowlist gets the page but no message", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const headers = { ...BROWSER, "CF-Connecting-IP": freshIp() };
    for (let i = 0; i <= DEFAULT_RATE_LIMITS.oauth.burst; i++)
      await relayFetch(ROUTES.oauthCallback, { headers });
    const attempt = await newAttempt();
    const page = await relayFetch(startPath(attempt, { origin: "https://app.example.com.evil.com" }), {
      headers,
    });
    expect(page.status).toBe(429);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(page.text).not.toContain("postMessage");
    expect(page.text).toContain("You can close this window.");
  });
});
