import type { ConnectionView, FeedView, MediaPage, PublishJob } from "@instagram-connect/types";

/** A signed-in demo user, as the site's backend (server/demo-users.ts) reports it. */
export interface DemoUser {
  id: string;
  key: "a" | "b";
  displayName: string;
}

/** A refusal of the site's backend (or of the relay, passed through): a stable code and a message. */
export class DemoApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** One call to the site's backend, same-origin at /demo-api (its sign-in cookie goes along). */
async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`/demo-api${path}`, { credentials: "same-origin", ...init });
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!response.ok || !body) {
    const error = body?.error ?? {
      code: "unavailable",
      message: `The site's backend answered ${response.status}.`,
    };
    throw new DemoApiError(error.code, error.message, response.status);
  }
  return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/** Receipt check result: verified with the claims, or why not. */
export type ReceiptCheck =
  | {
      verified: true;
      claims: { sub: string; endUserId: string | null; instagramUserId: string; origin: string };
    }
  | { verified: false; reason: string };

/** The backend's routes, one function each. */
export const demoApi = {
  me: () => call<{ user: DemoUser | null }>("/me"),
  signIn: (user: "a" | "b") => call<{ user: DemoUser }>("/sign-in", json("POST", { user })),
  signOut: () => call<{ user: null }>("/sign-out", { method: "POST" }),
  connectSession: (reconnectConnectionId?: string) =>
    call<{ token: string; expiresAt: string }>("/connect-session", json("POST", { reconnectConnectionId })),
  connections: () => call<{ items: ConnectionView[] }>("/connections"),
  reconnectLink: (id: string) =>
    call<{ connectUrl: string; expiresAt: string }>(`/connections/${encodeURIComponent(id)}/reconnect-link`, {
      method: "POST",
    }),
  disconnect: (id: string) => call<unknown>(`/connections/${encodeURIComponent(id)}`, { method: "DELETE" }),
  verifyReceipt: (receipt: string) => call<ReceiptCheck>("/receipts/verify", json("POST", { receipt })),
  feeds: () => call<{ items: FeedView[] }>("/feeds"),
  createFeed: (connectionId: string) => call<{ feed: FeedView }>("/feeds", json("POST", { connectionId })),
  media: (id: string) => call<MediaPage>(`/connections/${encodeURIComponent(id)}/media`),
  publishPicture: (id: string, jpeg: Blob) =>
    call<{ job: PublishJob }>(`/connections/${encodeURIComponent(id)}/pictures`, {
      method: "POST",
      headers: { "Content-Type": "image/jpeg" },
      body: jpeg,
    }),
  job: (id: string, jobId: string) =>
    call<{ job: PublishJob }>(`/connections/${encodeURIComponent(id)}/jobs/${encodeURIComponent(jobId)}`),
};
