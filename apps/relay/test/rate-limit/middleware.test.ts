import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type ErrorBody, isRelayError } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { bearerCredentialKey, clientIpKey, limiterName } from "../../src/rate-limit/keys.ts";
import { FAIL_CLOSED_RETRY_SECONDS, type LimiterNamespace } from "../../src/rate-limit/middleware.ts";
import { GCRA_STATE_KEY } from "../../src/rate-limit/rate-limiter.ts";
import { capturedLogs, registerSecret } from "../support/leak-collector.ts";
import { envWithLimits, freshIp, limitedApp, requestFrom } from "./helpers.ts";

const T0 = 1_800_000_000_000;
const LIMITS = { oauth: { limit: 3, windowSeconds: 60, burst: 2 }, widget: { limit: 2, windowSeconds: 10 } };

const brokenLimiter: LimiterNamespace = {
  getByName: () => ({
    consume: () => Promise.reject(new Error("Durable Object reset because its code was updated")),
  }),
};

/** Log lines (captured by test/support/leak-guard.ts) written while `run` ran. */
async function logsDuring(run: () => Promise<void>): Promise<string[]> {
  const before = capturedLogs().length;
  await run();
  return capturedLogs().slice(before);
}

describe("rateLimit middleware: limits and headers", () => {
  it("S18: sets RateLimit-Policy and RateLimit on allowed answers and 429s past the limit", async () => {
    let clock = T0;
    const app = limitedApp({ family: "oauth", key: clientIpKey, now: () => clock });
    const appEnv = envWithLimits(LIMITS);
    const ip = freshIp();

    const first = await app.fetch(requestFrom(ip), appEnv);
    expect(first.status).toBe(200);
    expect(first.headers.get("X-Handler")).toBe("ran");
    expect(first.headers.get("RateLimit-Policy")).toBe('"oauth";q=3;w=60');
    expect(first.headers.get("RateLimit")).toBe('"oauth";r=2;t=20');
    await app.fetch(requestFrom(ip), appEnv);
    const third = await app.fetch(requestFrom(ip), appEnv);
    expect(third.headers.get("RateLimit")).toBe('"oauth";r=0;t=60');

    const refused = await app.fetch(requestFrom(ip), appEnv);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("X-Handler")).toBeNull();
    expect(refused.headers.get("Retry-After")).toBe("20");
    expect(refused.headers.get("RateLimit-Policy")).toBe('"oauth";q=3;w=60');
    expect(refused.headers.get("RateLimit")).toBe('"oauth";r=0;t=60');
    const body = await refused.json<ErrorBody>();
    expect(isRelayError(body)).toBe(true);
    expect(body).toEqual({
      error: { code: "rate_limited", message: "Too many requests. Please try again later.", retryAfter: 20 },
    });

    clock = T0 + 20_000;
    const later = await app.fetch(requestFrom(ip), appEnv);
    expect(later.status).toBe(200);
    expect(later.headers.get("RateLimit")).toBe('"oauth";r=0;t=60');
  });

  it("S18: limits each IP separately", async () => {
    const app = limitedApp({ family: "oauth", key: clientIpKey, now: () => T0 });
    const appEnv = envWithLimits({ oauth: { limit: 1, windowSeconds: 60, burst: 0 } });
    const [noisy, other] = [freshIp(), freshIp()];
    expect((await app.fetch(requestFrom(noisy), appEnv)).status).toBe(200);
    expect((await app.fetch(requestFrom(noisy), appEnv)).status).toBe(429);
    expect((await app.fetch(requestFrom(other), appEnv)).status).toBe(200);
  });

  it("keys the widget family on a hash of the bearer credential, never the raw secret", async () => {
    const app = limitedApp({ family: "widget", key: bearerCredentialKey, now: () => T0 });
    const appEnv = envWithLimits(LIMITS);
    const credential = `cred_${crypto.randomUUID()}`;
    const ip = freshIp();
    expect((await app.fetch(requestFrom(ip, { credential }), appEnv)).status).toBe(200);
    expect((await app.fetch(requestFrom(freshIp(), { credential }), appEnv)).status).toBe(200);
    // Same credential from a third address: one bucket per credential, not per IP.
    const third = await app.fetch(requestFrom(freshIp(), { credential }), appEnv);
    expect(third.status).toBe(429);
    expect(third.headers.get("RateLimit-Policy")).toBe('"widget";q=2;w=10');

    const name = await limiterName("widget", `bearer:${credential}`);
    expect(name).toMatch(/^widget:[0-9a-f]{64}$/);
    expect(name).not.toContain(credential);
    const stub = env.RATE_LIMITER.getByName(name);
    const stored = await runInDurableObject(stub, (_i, state) => state.storage.kv.get(GCRA_STATE_KEY));
    expect(stored).toBeDefined();
  });

  it("does not spend quota on CORS preflights", async () => {
    const app = limitedApp({ family: "oauth", key: clientIpKey, now: () => T0 });
    const appEnv = envWithLimits({ oauth: { limit: 1, windowSeconds: 60, burst: 0 } });
    const ip = freshIp();
    const preflight = new Request("https://relay.test/limited/read", {
      method: "OPTIONS",
      headers: { "CF-Connecting-IP": ip },
    });
    expect((await app.fetch(preflight, appEnv)).status).toBe(204);
    expect((await app.fetch(preflight.clone(), appEnv)).status).toBe(204);
    expect((await app.fetch(requestFrom(ip), appEnv)).status).toBe(200);
  });

  it('does not limit a family configured with "limit": 0 (and sets no RateLimit headers)', async () => {
    const app = limitedApp({ family: "oauth", key: clientIpKey, limiter: () => brokenLimiter });
    const appEnv = envWithLimits({ oauth: { limit: 0, windowSeconds: 60 } });
    const res = await app.fetch(requestFrom(freshIp()), appEnv);
    expect(res.status).toBe(200);
    expect(res.headers.get("RateLimit-Policy")).toBeNull();
    expect(res.headers.get("RateLimit")).toBeNull();
  });

  it("answers config_error naming RATE_LIMITS when the var is malformed", async () => {
    const app = limitedApp({ family: "oauth", key: clientIpKey });
    let res = new Response();
    const logs = await logsDuring(async () => {
      res = await app.fetch(requestFrom(freshIp()), envWithLimits('{"oauth":{"limit":"many"}}'));
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: {
        code: "config_error",
        message: "The relay is not configured correctly.",
        setting: "RATE_LIMITS",
      },
    });
    expect(logs.map((line) => JSON.parse(line))).toEqual([
      {
        level: "error",
        event: "rate_limit.config_error",
        setting: "RATE_LIMITS",
        reason: "oauth.limit: invalid_type; oauth.windowSeconds: invalid_type",
      },
    ]);
  });
});

describe("rateLimit middleware: limiter failure (S29)", () => {
  it("S29: fails CLOSED on oauth (auth surface): 429 with a short Retry-After, handler not run", async () => {
    const app = limitedApp({ family: "oauth", key: clientIpKey, limiter: () => brokenLimiter });
    let res = new Response();
    const logs = await logsDuring(async () => {
      res = await app.fetch(requestFrom(freshIp()), envWithLimits(LIMITS));
    });
    expect(res.status).toBe(429);
    expect(res.headers.get("X-Handler")).toBeNull();
    expect(res.headers.get("Retry-After")).toBe(String(FAIL_CLOSED_RETRY_SECONDS));
    expect(res.headers.get("RateLimit-Policy")).toBe('"oauth";q=3;w=60');
    expect(res.headers.get("RateLimit")).toBeNull();
    expect(await res.json()).toMatchObject({
      error: { code: "rate_limited", retryAfter: FAIL_CLOSED_RETRY_SECONDS },
    });
    expect(logs.map((line) => JSON.parse(line))).toEqual([
      {
        level: "warn",
        event: "rate_limit.limiter_failed",
        family: "oauth",
        failMode: "closed",
        method: "GET",
        route: "/limited/*",
        error: "Error",
      },
    ]);
  });

  it("S29: fails OPEN on widget reads: the handler answers, with the policy header only", async () => {
    const app = limitedApp({ family: "widget", key: bearerCredentialKey, limiter: () => brokenLimiter });
    let res = new Response();
    const logs = await logsDuring(async () => {
      res = await app.fetch(requestFrom(freshIp(), { credential: "c" }), envWithLimits(LIMITS));
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Handler")).toBe("ran");
    expect(res.headers.get("RateLimit-Policy")).toBe('"widget";q=2;w=10');
    expect(res.headers.get("RateLimit")).toBeNull();
    expect(logs.map((line) => JSON.parse(line))).toMatchObject([{ failMode: "open", family: "widget" }]);
  });

  it("S29: api fails open for GET reads and closed for writes", async () => {
    const app = limitedApp({ family: "api", key: () => "key_123", limiter: () => brokenLimiter });
    const appEnv = envWithLimits(LIMITS);
    expect((await app.fetch(requestFrom(freshIp()), appEnv)).status).toBe(200);
    expect((await app.fetch(requestFrom(freshIp(), { method: "POST" }), appEnv)).status).toBe(429);
  });

  it("S29: an explicit failMode wins (API-key checks fail closed even on GET)", async () => {
    const app = limitedApp({
      family: "api",
      key: () => "key_123",
      failMode: "closed",
      limiter: () => brokenLimiter,
    });
    expect((await app.fetch(requestFrom(freshIp()), envWithLimits(LIMITS))).status).toBe(429);
  });

  it("S29: a throwing key function counts as limiter failure and its secret never reaches the log", async () => {
    const secret = "IGAAsecret-token-value";
    registerSecret(secret);
    const key = () => {
      throw new TypeError(`cannot hash ${secret}`);
    };
    const open = limitedApp({ family: "widget", key });
    const closed = limitedApp({ family: "oauth", key });
    const lines = await logsDuring(async () => {
      expect((await open.fetch(requestFrom(freshIp()), envWithLimits(LIMITS))).status).toBe(200);
      expect((await closed.fetch(requestFrom(freshIp()), envWithLimits(LIMITS))).status).toBe(429);
    });
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ event: "rate_limit.limiter_failed", error: "TypeError" });
      expect(line).not.toContain(secret);
    }
  });
});
