import type { FakeInstagram } from "../src/index.ts";

/** Any host works: the fake answers by path. */
export const BASE = "https://fake.instagram.test";
export const REDIRECT_URI = "http://localhost:8787/v1/oauth/callback";
export const BASIC = "instagram_business_basic";
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The `code` of a success redirect URL. */
export function codeFrom(redirectUrl: string): string {
  const code = new URL(redirectUrl).searchParams.get("code");
  if (!code) throw new Error(`no code in ${redirectUrl}`);
  return code;
}

/** POSTs a form-urlencoded code exchange with working defaults, overridden by `fields`. */
export function exchangeCode(fake: FakeInstagram, code: string, fields: Record<string, string> = {}) {
  const body = new URLSearchParams({
    client_id: "fake-client-id",
    client_secret: "fake-client-secret",
    grant_type: "authorization_code",
    redirect_uri: REDIRECT_URI,
    code,
    ...fields,
  });
  return fake.fetch(`${BASE}/oauth/access_token`, { method: "POST", body });
}

/** Consent + code exchange: a short-lived token for `userId` (default: first seeded user). */
export async function shortLivedToken(
  fake: FakeInstagram,
  options: { scope?: string; userId?: string } = {},
) {
  const url = fake.approve({
    redirectUri: REDIRECT_URI,
    scope: options.scope ?? BASIC,
    state: "s",
    userId: options.userId,
  });
  const res = await exchangeCode(fake, codeFrom(url));
  const text = await res.text();
  const match = /"access_token":"([^"]+)"/.exec(text);
  if (!match?.[1]) throw new Error(`exchange failed: ${text}`);
  return match[1];
}

/** Consent, code exchange and long-lived upgrade: a long-lived token. */
export async function longLivedToken(fake: FakeInstagram, options: { scope?: string; userId?: string } = {}) {
  const short = await shortLivedToken(fake, options);
  const res = await fake.fetch(
    `${BASE}/access_token?grant_type=ig_exchange_token&client_secret=fake-client-secret&access_token=${short}`,
  );
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

/** GETs `path` on the fake and returns status, parsed body and headers. */
export async function getJson(fake: FakeInstagram, path: string, init?: RequestInit) {
  const res = await fake.fetch(`${BASE}${path}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** The Graph error object of a body, for assertions. */
export function graphErrorOf(body: Record<string, unknown>) {
  return body.error as {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    fbtrace_id: string;
  };
}

/** Every scope the fake knows, for tests of publishing, comments and insights. */
export const ALL_SCOPES = [
  "instagram_business_basic",
  "instagram_business_content_publish",
  "instagram_business_manage_comments",
  "instagram_business_manage_insights",
].join(",");

/** A Graph call with the token in the Authorization header; `params` go in a form body for POST/DELETE. */
export async function graph(
  fake: FakeInstagram,
  method: "GET" | "POST" | "DELETE",
  path: string,
  token: string,
  params: Record<string, string> = {},
) {
  const url = new URL(`${BASE}${path}`);
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}` } };
  if (method === "GET") for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  else init.body = new URLSearchParams(params);
  const res = await fake.fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A JPEG-serving outbound fetch for publishing tests (the bytes are not inspected). */
export function jpegHost(extra: Record<string, () => Response> = {}) {
  const seen: string[] = [];
  const fetch = async (request: Request) => {
    seen.push(request.url);
    const special = extra[request.url];
    if (special) return special();
    if (request.url.includes("/missing")) return new Response("nope", { status: 404 });
    if (request.url.endsWith(".mp4"))
      return new Response(new Uint8Array(64), { headers: { "content-type": "video/mp4" } });
    return new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), {
      headers: { "content-type": "image/jpeg" },
    });
  };
  return { fetch, seen };
}
