import { ROUTES } from "@instagram-connect/types";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../../src/config/rate-limit-policies.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { relayFetch, SITE } from "../support/relay.ts";
import { freshIp } from "./helpers.ts";

// The real worker with wrangler.jsonc's RATE_LIMITS (the defaults); the relay clock is frozen so
// nothing refills between requests.
afterEach(() => setClockForTests(null));

describe("rate limits wired into the relay", () => {
  it("S18: oauth start and callback share one per-IP budget and answer 429 past it", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const { burst } = DEFAULT_RATE_LIMITS.oauth;
    const ip = freshIp();
    const headers = { "CF-Connecting-IP": ip };
    for (let i = 0; i <= burst; i++) {
      const path = i % 2 === 0 ? ROUTES.oauthStart : ROUTES.oauthCallback;
      const res = await relayFetch(path, { headers });
      expect(res.status).not.toBe(429);
      expect(res.headers.get("RateLimit-Policy")).toBe('"oauth";q=20;w=60');
    }
    const refused = await relayFetch(ROUTES.oauthStart, { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("3");
    expect(refused.json()).toMatchObject({ error: { code: "rate_limited", retryAfter: 3 } });

    const otherIp = await relayFetch(ROUTES.oauthCallback, { headers: { "CF-Connecting-IP": freshIp() } });
    expect(otherIp.status).not.toBe(429);
  });

  it("S18: the widget's /v1/connections/me is limited per credential and its 429 stays readable (CORS)", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const { burst } = DEFAULT_RATE_LIMITS.widget;
    const headers = {
      Origin: SITE,
      Authorization: `Bearer conn_${crypto.randomUUID()}`,
      "CF-Connecting-IP": freshIp(),
    };
    const first = await relayFetch(ROUTES.connectionMe, { headers });
    expect(first.status).toBe(401);
    expect(first.headers.get("RateLimit")).toBe(`"widget";r=${burst};t=1`);
    for (let i = 1; i <= burst; i++) await relayFetch(ROUTES.connectionMe, { headers });

    const refused = await relayFetch(ROUTES.connectionMe, { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"widget";q=60;w=60');
    expect(refused.json()).toMatchObject({ error: { code: "rate_limited", retryAfter: 1 } });
  });
});
