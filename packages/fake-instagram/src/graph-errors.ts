import { newTraceId } from "./random.ts";

/** Graph's error body: `{ error: { message, type, code, error_subcode?, fbtrace_id } }`. */
export interface GraphErrorBody {
  error: {
    message: string;
    type: "OAuthException" | "IGApiException" | "GraphMethodException";
    code: number;
    error_subcode?: number;
    is_transient?: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
}

/** Builds a Graph error body with a fresh trace id. */
export function graphError(
  code: number,
  message: string,
  options: {
    subcode?: number;
    type?: GraphErrorBody["error"]["type"];
    transient?: boolean;
    userTitle?: string;
    userMessage?: string;
  } = {},
): GraphErrorBody {
  const error: GraphErrorBody["error"] = {
    message,
    type: options.type ?? "OAuthException",
    code,
    ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
    ...(options.transient === undefined ? {} : { is_transient: options.transient }),
    ...(options.userTitle === undefined ? {} : { error_user_title: options.userTitle }),
    ...(options.userMessage === undefined ? {} : { error_user_msg: options.userMessage }),
    fbtrace_id: newTraceId(),
  };
  return { error };
}

const RATE_LIMIT_MESSAGES: Record<number, string> = {
  4: "Application request limit reached",
  17: "User request limit reached",
  32: "Page request limit reached",
  613: "Calls to this api have exceeded the rate limit.",
  80002: "There have been too many calls to this Instagram account. Wait a bit and try again.",
};

/** A rate-limit error for Graph code `code` (4, 17, 32, 613, 80002, ...). */
export function rateLimitError(code: number): GraphErrorBody {
  const message = RATE_LIMIT_MESSAGES[code] ?? "Too many calls. Wait a bit and try again.";
  return graphError(code, message, {
    type: code === 80002 ? "IGApiException" : "OAuthException",
    transient: true,
  });
}

/** The transient "unexpected error" Graph sends with 5xx answers. */
export function transientError(): GraphErrorBody {
  return graphError(2, "An unexpected error has occurred. Please retry your request later.", {
    transient: true,
  });
}

/** Error for a token that is missing, unknown, expired, revoked or replaced by a refresh. */
export function tokenError(
  reason: "missing" | "unknown" | "expired" | "revoked" | "superseded",
): GraphErrorBody {
  switch (reason) {
    case "missing":
      return graphError(
        2500,
        "An active access token must be used to query information about the current user.",
      );
    case "unknown":
      return graphError(190, "Invalid OAuth access token - Cannot parse access token");
    case "expired":
      return graphError(190, "Error validating access token: Session has expired.", { subcode: 463 });
    case "revoked":
      return graphError(
        190,
        "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
        { subcode: 460 },
      );
    case "superseded":
      return graphError(190, "Error validating access token: The access token is invalid.", { subcode: 467 });
  }
}

/** Flat OAuth error of the code exchange: `{ error_type, code: 400, error_message }`. */
export interface OAuthErrorBody {
  error_type: "OAuthException";
  code: number;
  error_message: string;
}

/** Builds the code exchange's flat error body. */
export function oauthError(message: string, code = 400): OAuthErrorBody {
  return { error_type: "OAuthException", code, error_message: message };
}

/** Graph's answer for an id the token cannot see (another account's object, or none at all). */
export function unsupportedRequest(method: "get" | "post" | "delete", id: string): GraphErrorBody {
  return graphError(
    100,
    `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { subcode: 33, type: "GraphMethodException" },
  );
}

/** A publishing error as Meta's error-code table lists it (HTTP 400, not transient). */
export function publishingError(
  code: number,
  subcode: number,
  message: string,
  userMessage?: string,
): GraphErrorBody {
  return graphError(code, message, {
    subcode,
    transient: false,
    ...(userMessage === undefined ? {} : { userMessage }),
  });
}

/** `(#10)`: the token lacks a scope this call needs. */
export function permissionError(scope: string): GraphErrorBody {
  return graphError(10, `Application does not have permission for this action (${scope})`);
}
