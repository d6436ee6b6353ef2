/**
 * Setup file for every relay test file: captures console output (the worker and its Durable
 * Objects run in this isolate) and, after the file's tests, asserts that no captured log line
 * and no response body read through `relayFetch` contains the client secret, the admin secret
 * or any access token the fake Instagram issued (S6, S17).
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, vi } from "vitest";
import { findLeaks, recordLog, registerSecret } from "./leak-collector.ts";

beforeAll(() => {
  registerSecret(env.INSTAGRAM_CLIENT_SECRET);
  const admin = (env as unknown as { ADMIN_SECRET?: unknown }).ADMIN_SECRET;
  if (typeof admin === "string") registerSecret(admin);
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      recordLog(args.map((arg) => (typeof arg === "string" ? arg : safeStringify(arg))).join(" "));
    });
  }
});

afterAll(() => {
  expect(findLeaks()).toEqual([]);
});

function safeStringify(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}\n${value.stack}` : JSON.stringify(value);
  } catch {
    return String(value);
  }
}
