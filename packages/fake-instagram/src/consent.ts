import { newAuthorizationCode } from "./random.ts";
import { BASIC_SCOPE, INSTAGRAM_SCOPES } from "./scopes.ts";
import type { FakeState } from "./state.ts";
import { findUser } from "./state.ts";
import { SHORT_LIVED_MS } from "./tokens.ts";
import type { FakeUser } from "./types.ts";

/** A validated authorization request. */
export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
}

/** Checks an authorization request as Instagram's dialog does; failures are shown as an error page. */
export function validateAuthorize(
  state: FakeState,
  params: { clientId?: string; redirectUri?: string; responseType?: string; scope?: string; state?: string },
): { ok: true; request: AuthorizeRequest } | { ok: false; message: string } {
  if (params.clientId !== state.clientId) return { ok: false, message: "Invalid app ID" };
  if (!params.redirectUri || !state.redirectUris.includes(params.redirectUri)) {
    return { ok: false, message: "Invalid redirect_uri: it is not registered for this app" };
  }
  if (params.responseType !== "code")
    return { ok: false, message: "Invalid response_type: only code is supported" };
  // Comma-separated only: a space-separated list arrives as one unknown name and is refused.
  const scopes = (params.scope ?? "").split(",").map((s) => s.trim());
  const invalid = scopes.filter((s) => !INSTAGRAM_SCOPES.includes(s));
  if (invalid.length > 0) return { ok: false, message: `Invalid Scopes: ${invalid.join(", ") || "(empty)"}` };
  if (!scopes.includes(BASIC_SCOPE))
    return { ok: false, message: `Invalid Scopes: ${BASIC_SCOPE} is required` };
  return {
    ok: true,
    request: { clientId: params.clientId, redirectUri: params.redirectUri, scopes, state: params.state },
  };
}

/** Records a single-use, one-hour code for `user` and returns the success redirect (with the `#_` quirk). */
export function approveRedirect(state: FakeState, request: AuthorizeRequest, user: FakeUser): string {
  const code = newAuthorizationCode();
  state.codes.set(code, {
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    userId: user.id,
    scopes: [...new Set(request.scopes)],
    expiresAt: state.clock.now() + SHORT_LIVED_MS,
    used: false,
  });
  const url = new URL(request.redirectUri);
  url.searchParams.set("code", code);
  if (request.state !== undefined) url.searchParams.set("state", request.state);
  return `${url.toString()}#_`;
}

/** The denial redirect; `state` is echoed only when `echoState` (unconfirmed on the real service). */
export function denyRedirect(
  redirectUri: string,
  stateParam: string | undefined,
  echoState: boolean,
): string {
  const url = new URL(redirectUri);
  url.searchParams.set("error", "access_denied");
  url.searchParams.set("error_reason", "user_denied");
  url.searchParams.set("error_description", "The user denied your request");
  if (echoState && stateParam !== undefined) url.searchParams.set("state", stateParam);
  return `${url.toString()}#_`;
}

/** Resolves the account the user picked, or the first seeded one. */
export function pickUser(state: FakeState, key: string | undefined): FakeUser | undefined {
  return key ? findUser(state, key) : state.users[0];
}
