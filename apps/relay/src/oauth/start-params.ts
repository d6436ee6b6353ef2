import { BASIC_SCOPE, type InstagramScope, isInstagramScope, type OAuthMode } from "@instagram-connect/types";
import type { RelayConfig } from "../config/relay-config.ts";
import { fail, ok, type Result } from "../result.ts";
import { isAllowedOrigin, isAllowedReturnTo } from "./origin-policy.ts";

/** Validated `GET /v1/oauth/start` input. */
export interface StartRequest {
  origin: string;
  mode: OAuthMode;
  scopes: InstagramScope[];
  attemptId: string;
  challenge: string;
  returnTo: string | null;
  forceLogin: boolean;
}

/** Every parameter `start` reads (the confirmation page carries exactly these). */
export const START_PARAM_NAMES = [
  "origin",
  "scopes",
  "mode",
  "attemptId",
  "challenge",
  "returnTo",
  "forceLogin",
] as const;
const ATTEMPT_ID = /^[A-Za-z0-9_-]{22,64}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Validates every start parameter (from the query of a GET, the confirmation page's form or the
 * session start form). A repeated parameter is refused so nothing downstream can read a different value than the one checked here; unknown ones are ignored.
 */
export function parseStartRequest(config: RelayConfig, params: URLSearchParams): Result<StartRequest> {
  for (const name of START_PARAM_NAMES) {
    if (params.getAll(name).length > 1) return invalid(`repeated_param:${name}`);
  }
  const origin = params.get("origin");
  if (origin === null) return invalid("missing_origin");
  if (!isAllowedOrigin(config, origin))
    return fail({ code: "origin_not_allowed", reason: "origin_not_listed" });

  const mode = params.get("mode");
  if (mode !== "popup" && mode !== "redirect") return invalid("bad_mode");
  const attemptId = params.get("attemptId") ?? "";
  if (!ATTEMPT_ID.test(attemptId)) return invalid("bad_attempt_id");
  const challenge = params.get("challenge") ?? "";
  if (!CHALLENGE.test(challenge)) return invalid("bad_challenge");

  const forceLogin = params.get("forceLogin");
  if (forceLogin !== null && forceLogin !== "0" && forceLogin !== "1") return invalid("bad_force_login");

  const returnTo = params.get("returnTo");
  if (mode === "popup" && returnTo !== null) return invalid("return_to_in_popup_mode");
  if (mode === "redirect") {
    if (returnTo === null) return invalid("missing_return_to");
    if (!isAllowedReturnTo(config, returnTo)) {
      return fail({ code: "return_to_not_allowed", reason: "return_to_not_listed" });
    }
  }

  const scopes = parseScopes(config, params.get("scopes"));
  if (!scopes.ok) return scopes;
  return ok({
    origin,
    mode,
    scopes: scopes.value,
    attemptId,
    challenge,
    returnTo,
    forceLogin: forceLogin === "1",
  });
}

function parseScopes(config: RelayConfig, value: string | null): Result<InstagramScope[]> {
  const scopes: InstagramScope[] = [BASIC_SCOPE];
  if (value === null) return ok(scopes);
  for (const name of value.split(",")) {
    if (!isInstagramScope(name)) return fail({ code: "scope_not_allowed", reason: "unknown_scope" });
    if (!config.oauth.allowedScopes.includes(name))
      return fail({ code: "scope_not_allowed", reason: "scope_not_listed" });
    if (!scopes.includes(name)) scopes.push(name);
  }
  return ok(scopes);
}

function invalid(reason: string): Result<never> {
  return fail({ code: "invalid_request", reason });
}
