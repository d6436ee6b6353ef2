import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type AppEnv, createApp } from "../src/app.ts";
import { randomToken } from "../src/crypto/base64url.ts";
import { onError } from "../src/http/error-handlers.ts";
import { toErrorResponse } from "../src/http/errors.ts";
import { FailureError } from "../src/result.ts";
import { recordResponse } from "./support/leak-collector.ts";

describe("error mapping", () => {
  it("S17: an unexpected exception answers a generic 500 internal_error with no internal text", async () => {
    const brokenKv = {
      get() {
        throw new Error("kv exploded: internal detail 7f3a");
      },
    };
    const response = await createApp().fetch(
      new Request("https://relay.test/v1/connections/me", {
        headers: { Authorization: `Bearer conn_${randomToken(16)}.${randomToken(32)}` },
      }),
      { ...env, CONNECTIONS: brokenKv },
    );
    const text = await response.text();
    recordResponse("broken kv", text);
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: { code: "internal_error", message: "Something went wrong on the relay." },
    });
    expect(text).not.toContain("7f3a");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("maps failures to the contract status and message, keeping reasons out of the body", () => {
    expect(toErrorResponse({ code: "invalid_state", reason: "binding_mismatch" })).toEqual({
      status: 400,
      body: { error: { code: "invalid_state", message: expect.stringContaining("no longer valid") } },
    });
    expect(toErrorResponse({ code: "rate_limited", retryAfter: 3 }).body.error.retryAfter).toBe(3);
    expect(toErrorResponse({ code: "upstream_timeout" }).status).toBe(504);
    expect(toErrorResponse({ code: "config_error", setting: "ALLOWED_ORIGINS", reason: "x" }).body).toEqual({
      error: {
        code: "config_error",
        message: "The relay is not configured correctly.",
        setting: "ALLOWED_ORIGINS",
      },
    });
  });

  it("S18: a thrown rate_limited failure is answered with Retry-After as well as retryAfter", async () => {
    const app = new Hono<AppEnv>().get("/throws", () => {
      throw new FailureError({ code: "rate_limited", retryAfter: 7, reason: "test" });
    });
    app.onError(onError);
    const response = await app.request("/throws");
    expect(response.status).toBe(429);
    expect(response.headers.get("Retry-After")).toBe("7");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: { code: "rate_limited", message: expect.any(String), retryAfter: 7 },
    });
  });
});
