import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_MESSAGES, ERROR_STATUS, isErrorCode, isRelayError } from "../src/index.ts";

describe("error codes", () => {
  it("gives every code a human message and an HTTP error status", () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_MESSAGES[code].length).toBeGreaterThan(10);
      expect(ERROR_STATUS[code]).toBeGreaterThanOrEqual(400);
      expect(ERROR_STATUS[code]).toBeLessThan(600);
    }
  });

  it("answers client mistakes with 4xx and only upstream or relay faults with 5xx", () => {
    const serverSide = ERROR_CODES.filter((code) => ERROR_STATUS[code] >= 500);
    expect(serverSide.sort()).toEqual([
      "config_error",
      "internal_error",
      "upstream_error",
      "upstream_timeout",
    ]);
  });

  it("recognises relay error bodies and rejects look-alikes", () => {
    expect(isRelayError({ error: { code: "rate_limited", message: "slow down", retryAfter: 3 } })).toBe(true);
    expect(isRelayError({ error: { code: "teapot", message: "no" } })).toBe(false);
    expect(isRelayError({ error: { code: "unauthorized" } })).toBe(false);
    expect(isRelayError({ error: "unauthorized" })).toBe(false);
    expect(isRelayError(null)).toBe(false);
    expect(isRelayError("unauthorized")).toBe(false);
  });

  it("does not treat inherited object keys as codes", () => {
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("__proto__")).toBe(false);
  });
});
