// Server-only helpers of the example: the relay client (with the API key, never sent to the
// browser) and the signed-in user. Replace `currentUser` with your own auth (Auth.js, Clerk, ...).
import { createRelayClient } from "@instagram-connect/client";
import { cookies } from "next/headers";

/** The relay's app API; the key needs `sessions:write` (and `connections:read` to list). */
export const relay = createRelayClient({
  baseUrl: process.env.RELAY_URL ?? "https://relay.example.com",
  apiKey: process.env.RELAY_API_KEY ?? "unset",
});

/** Where the widget talks to the relay from the browser. */
export const relayUrl: string = process.env.NEXT_PUBLIC_RELAY_URL ?? "https://relay.example.com";

/** The signed-in user. Here a cookie stands in for a real session: use your own auth. */
export async function currentUser(): Promise<{ id: string; name: string } | null> {
  const id = (await cookies()).get("uid")?.value;
  return id ? { id, name: id } : null;
}

/** A connect session for `user`: short-lived, one consent, only from this site's origin. */
export function createSession(user: { id: string; name: string }) {
  return relay.createConnectSession({
    endUser: { id: user.id, displayName: user.name },
    ...(process.env.SITE_ORIGIN ? { allowedOrigins: [process.env.SITE_ORIGIN] } : {}),
    ttlSeconds: 600,
  });
}
