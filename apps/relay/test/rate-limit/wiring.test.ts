import { env } from "cloudflare:workers";
import { ROUTES } from "@instagram-connect/types";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS } from "../../src/config/rate-limit-policies.ts";
import { clientIpKey } from "../../src/rate-limit/keys.ts";
import { setClockForTests } from "../../src/runtime.ts";
import { newAttempt } from "../support/flow.ts";
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

  it("S32: attempt polling has its own per-IP budget and answers 429 past it", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const { burst } = DEFAULT_RATE_LIMITS.attempt;
    // A relay-issued attempt polled with its verifier: only proven polls reach the limiter (S35).
    const attempt = await newAttempt();
    const headers = { "CF-Connecting-IP": freshIp(), "X-Attempt-Verifier": attempt.verifier };
    const path = `/v1/oauth/attempts/${attempt.attemptId}`;
    for (let i = 0; i <= burst; i++) expect((await relayFetch(path, { headers })).status).toBe(200);
    const refused = await relayFetch(path, { headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"attempt";q=60;w=60');
  });

  it("S32: Meta's callbacks are limited per IP before any signature check", async () => {
    setClockForTests(() => 1_800_000_000_000);
    const { burst } = DEFAULT_RATE_LIMITS.meta;
    const ip = freshIp();
    const post = (path: string) =>
      relayFetch(path, {
        method: "POST",
        headers: { "CF-Connecting-IP": ip, "Content-Type": "application/x-www-form-urlencoded" },
        body: "signed_request=forged.forged",
      });
    for (let i = 0; i <= burst; i++) {
      const status = (await post(i % 2 ? ROUTES.metaDeauthorize : ROUTES.metaDataDeletion)).status;
      expect(status).toBe(400);
    }
    expect((await post(ROUTES.metaDeauthorize)).status).toBe(429);
  });

  it("S33: the client IP comes only from CLIENT_IP_HEADER; none means one shared bucket", () => {
    const request = (headers: Record<string, string>) => ({
      header: (name: string) => new Headers(headers).get(name) ?? undefined,
    });
    const sent = { "CF-Connecting-IP": "203.0.113.7", "X-Forwarded-For": "198.51.100.1" };
    expect(clientIpKey({ env, req: request(sent) })).toBe("203.0.113.7");
    const none = { ...env, CLIENT_IP_HEADER: "none" } as unknown as Env;
    expect(clientIpKey({ env: none, req: request(sent) })).toBe("unknown-ip");
    const proxied = { ...env, CLIENT_IP_HEADER: "X-Real-IP" } as unknown as Env;
    expect(clientIpKey({ env: proxied, req: request({ ...sent, "X-Real-IP": "192.0.2.9" }) })).toBe(
      "192.0.2.9",
    );
    expect(clientIpKey({ env: proxied, req: request(sent) })).toBe("unknown-ip");
  });
});
