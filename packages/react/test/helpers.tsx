import type { ConnectionView, OAuthResult } from "@instagram-connect/types";
import { OAUTH_MESSAGE_TYPE } from "@instagram-connect/types";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type RenderResult, render } from "@testing-library/react";
import type { ReactElement } from "react";
import { type Mock, type MockInstance, vi } from "vitest";

export const RELAY = "https://relay.example.test";
export const HANDLE_KEY: string = `instagram-connect:handle:${RELAY}`;
export const PENDING_KEY: string = `instagram-connect:pending:${RELAY}`;

/** A connection as the relay describes it. */
export function connectionView(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: "conn_1",
    status: "active",
    profile: {
      id: "28978671838402975",
      userId: "17841477965412210",
      username: "jane.doe",
      name: "Jane",
      accountType: "BUSINESS",
      profilePictureUrl: "https://cdn.example.test/jane.jpg",
      followersCount: 1234,
      followsCount: 56,
      mediaCount: 78,
    },
    scopes: ["instagram_business_basic"],
    tokenExpiresAt: "2027-01-01T00:00:00.000Z",
    connectedAt: "2026-10-01T00:00:00.000Z",
    updatedAt: "2026-10-01T00:00:00.000Z",
    ...overrides,
  };
}

export const okResult = (connection: ConnectionView = connectionView()): OAuthResult => ({
  ok: true,
  handle: { connectionId: connection.id, credential: "cred_secret_1" },
  connection,
});

export const errorResult = (
  code: "access_denied" | "rate_limited" | "code_exchange_failed",
  retryAfter?: number,
): OAuthResult => ({
  ok: false,
  error: { code, message: `relay says ${code}`, ...(retryAfter ? { retryAfter } : {}) },
});

/** The message the relay's callback page posts to the opener. */
export const resultMessage = (
  attemptId: string | undefined,
  result: OAuthResult,
): Record<string, unknown> => ({
  type: OAUTH_MESSAGE_TYPE,
  version: 1,
  ...(attemptId === undefined ? {} : { attemptId }),
  result,
});

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const relayError = (
  code: string,
  status: number,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response => json({ error: { code, message: `relay says ${code}`, ...extra } }, status, headers);

/** What the relay answers to `POST /v1/oauth/attempts` (a fresh 50-char id; the verifier's challenge). */
export async function issuedAttempt(verifier: string): Promise<Response> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const b64url = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  return json(
    {
      attemptId: b64url(crypto.getRandomValues(new Uint8Array(37))),
      challenge: b64url(digest),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
    },
    201,
  );
}

type Handler = (request: { url: URL; method: string; headers: Headers }) => Response | Promise<Response>;

/** Stubs `fetch` with a relay answering by "METHOD /path"; unknown routes answer 404 not_found. */
export function mockRelay(routes: Record<string, Handler>): Mock<typeof fetch> {
  const fetchMock = vi.fn<typeof fetch>(async (input, init = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? "GET";
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler && `${method} ${url.pathname}` === "POST /v1/oauth/attempts") {
      return issuedAttempt(new URLSearchParams(init.body as URLSearchParams).get("verifier") ?? "");
    }
    return handler
      ? handler({ url, method, headers: new Headers(init.headers) })
      : relayError("not_found", 404);
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

/** A stand-in for the window `window.open` returns. */
export interface FakePopup {
  closed: boolean;
  location: { href: string };
  close(): void;
}

export function fakePopup(): FakePopup {
  return {
    closed: false,
    location: { href: "" },
    close() {
      this.closed = true;
    },
  };
}

type OpenMock = MockInstance<typeof window.open>;

/** Makes `window.open` return `popup` (or null: blocked). */
export function stubOpen(popup: FakePopup | null): OpenMock {
  const open = vi.isMockFunction(window.open) ? vi.mocked(window.open) : vi.spyOn(window, "open");
  open.mockClear();
  return open.mockImplementation(() => popup as unknown as Window);
}

/** The start URL the popup was sent to (directly or after about:blank). */
export function popupStartUrl(open: OpenMock, popup: FakePopup): URL {
  const first = String(open.mock.calls[0]?.[0]);
  return new URL(first === "about:blank" ? popup.location.href : first);
}

/** Dispatches a `message` event as if posted by `source` from `origin`. */
export function post(data: unknown, origin: string = RELAY, source: unknown = null): void {
  window.dispatchEvent(new MessageEvent("message", { data, origin, source: source as Window }));
}

/** A fresh QueryClient per test. */
export const newClient = (): QueryClient =>
  new QueryClient({ defaultOptions: { queries: { gcTime: Number.POSITIVE_INFINITY } } });

/** Renders inside a QueryClientProvider with a fresh client. */
export function renderWithClient(
  ui: ReactElement,
  client: QueryClient = newClient(),
): RenderResult & { client: QueryClient } {
  return { ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>), client };
}
