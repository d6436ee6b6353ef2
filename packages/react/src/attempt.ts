import type { AttemptIssuedResponse, InstagramScope, OAuthMode, ROUTES } from "@instagram-connect/types";
import { relayFetch } from "./relay-client.ts";

/** One consent attempt: a relay-issued public id, a secret verifier and its SHA-256 challenge. */
export interface Attempt {
  attemptId: string;
  verifier: string;
  challenge: string;
}

const START: (typeof ROUTES)["oauthStart"] = "/v1/oauth/start";
const ATTEMPTS: (typeof ROUTES)["oauthAttempts"] = "/v1/oauth/attempts";

/**
 * Makes a fresh attempt: a crypto-random verifier (two v4 UUIDs, 244 random bits), sent once in
 * a form body to the relay, which answers with its challenge and an id MAC'd over it (the relay
 * refuses ids it did not issue before touching storage). The verifier never enters a URL; a form
 * is a CORS-simple request (no preflight).
 */
export async function createAttempt(relayUrl: string): Promise<Attempt> {
  const verifier = crypto.randomUUID() + crypto.randomUUID();
  const issued: AttemptIssuedResponse = await relayFetch(
    relayUrl,
    ATTEMPTS,
    {},
    { method: "POST", body: new URLSearchParams({ verifier }) },
  );
  return { ...issued, verifier };
}

/** The relay's `/v1/oauth/start` URL for this attempt (`relayUrl` normalised: no trailing slash); `returnTo` only in redirect mode. */
export function startUrl(
  relayUrl: string,
  attempt: Attempt,
  scopes: readonly InstagramScope[],
  mode: OAuthMode,
  returnTo?: string,
): string {
  const query = new URLSearchParams({
    origin: location.origin,
    scopes: scopes.join(","),
    mode,
    attemptId: attempt.attemptId,
    challenge: attempt.challenge,
  });
  if (returnTo) query.set("returnTo", returnTo);
  return `${relayUrl}${START}?${query}`;
}
