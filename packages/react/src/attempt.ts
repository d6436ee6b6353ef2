import type { InstagramScope, OAuthMode, ROUTES } from "@instagram-connect/types";

/** One consent attempt: a public id, a secret verifier and its SHA-256 challenge. */
export interface Attempt {
  attemptId: string;
  verifier: string;
  challenge: string;
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

// 24 bytes -> exactly 32 base64url chars (192 bits), well above the 128-bit floor.
const randomId = (size: number): string => base64url(crypto.getRandomValues(new Uint8Array(size)));

const START: (typeof ROUTES)["oauthStart"] = "/v1/oauth/start";

/** Makes a fresh attempt with crypto-random id and verifier (async: the challenge is a SHA-256). */
export async function createAttempt(): Promise<Attempt> {
  const verifier = randomId(32);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { attemptId: randomId(24), verifier, challenge: base64url(new Uint8Array(digest)) };
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
