import { exports } from "cloudflare:workers";
import { recordResponse } from "./leak-collector.ts";

/** The relay's base URL in tests (matches INSTAGRAM_REDIRECT_URI in vitest.config.ts). */
export const RELAY = "https://relay.test";
/** An allowlisted site origin and return URL. */
export const SITE = "https://app.example.com";
export const RETURN_TO = "https://app.example.com/connected";

/** A relay response with its body already read (and recorded for the leak check). */
export interface RelayResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

/** Calls the worker's real default export and records everything a browser would see. */
export async function relayFetch(path: string, init: RequestInit = {}): Promise<RelayResponse> {
  const headers = new Headers(init.headers);
  // A fresh client IP per request keeps these flow tests clear of the per-IP oauth rate limit
  // (tested on its own in test/rate-limit).
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", randomIp());
  // A start is, unless a test says otherwise (its own Referer, "" for none), the navigation
  // Chromium makes for a popup the claimed site opened (S30; test/oauth-start-binding.test.ts).
  if (path.startsWith("/v1/oauth/start?") && !headers.has("Referer")) {
    for (const [name, value] of Object.entries(siteNavigation(claimedOrigin(path)))) headers.set(name, value);
  }
  const response = await exports.default.fetch(
    new Request(new URL(path, RELAY), { redirect: "manual", ...init, headers }),
  );
  const text = await response.text();
  recordResponse(`${init.method ?? "GET"} ${path.split("?")[0]}`, text);
  recordResponse(`${path.split("?")[0]} location`, response.headers.get("Location") ?? "");
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** The headers Chromium sends on a top-level navigation (popup or redirect) started by `origin`'s page. */
export function siteNavigation(origin: string): Record<string, string> {
  return {
    Referer: `${origin}/`,
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "cross-site",
  };
}

function claimedOrigin(path: string): string {
  return new URL(path, RELAY).searchParams.get("origin") ?? "";
}

function randomIp(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(4))).join(".");
}
