import {
  ATTEMPT_VERIFIER_HEADER,
  type AttemptResponse,
  type ConnectionHandle,
  type ConnectionResponse,
  type DisconnectResponse,
  type MediaPage,
  type ROUTES,
} from "@instagram-connect/types";
import type { Attempt } from "./attempt.ts";
import type { ConnectError } from "./connect-error.ts";

// Typed against the contract's ROUTES literals (a route change breaks the build), without
// bundling the whole ROUTES table into the widget.
const ME: (typeof ROUTES)["connectionMe"] = "/v1/connections/me";
const MEDIA: (typeof ROUTES)["connectionMeMedia"] = "/v1/connections/me/media";
const ATTEMPTS: (typeof ROUTES)["oauthAttempt"] extends `${infer P}:attemptId` ? P : never =
  "/v1/oauth/attempts/";

/**
 * Calls the relay (`relayUrl` normalised: no trailing slash) and returns its JSON body; any failure throws a `ConnectError` with the
 * relay's code, `network_error` when unreachable, `upstream_error` for a non-JSON failure.
 */
export async function relayFetch<T>(
  relayUrl: string,
  path: string,
  headers: Record<string, string>,
  init: { method?: string; signal?: AbortSignal | undefined; body?: URLSearchParams } = {},
): Promise<T> {
  const response = await fetch(relayUrl + path, { ...init, headers }).catch(() => {
    throw { code: "network_error", message: "Relay unreachable" } satisfies ConnectError;
  });
  const body = await response.json().catch(() => null);
  if (response.ok && body) return body;
  const { code, message, retryAfter } = body?.error ?? {};
  throw {
    code: code ?? (response.status === 429 ? "rate_limited" : "upstream_error"),
    message: message ?? `${response.status}`,
    retryAfter: Number(retryAfter ?? response.headers.get("Retry-After")) || undefined,
  } satisfies ConnectError;
}

const bearer = (handle: ConnectionHandle) => ({ Authorization: `Bearer ${handle.credential}` });

/** `GET /v1/connections/me` for the stored handle. */
export const fetchConnection = (relayUrl: string, handle: ConnectionHandle): Promise<ConnectionResponse> =>
  relayFetch(relayUrl, ME, bearer(handle));

/** `DELETE /v1/connections/me`: disconnects the handle's connection. */
export const deleteConnection = (relayUrl: string, handle: ConnectionHandle): Promise<DisconnectResponse> =>
  relayFetch(relayUrl, ME, bearer(handle), { method: "DELETE" });

/** One page of `GET /v1/connections/me/media`. */
export const fetchMedia = (
  relayUrl: string,
  handle: ConnectionHandle,
  limit: number,
  after: string,
): Promise<MediaPage> =>
  relayFetch(
    relayUrl,
    `${MEDIA}?limit=${limit}${after && `&after=${encodeURIComponent(after)}`}`,
    bearer(handle),
  );

/** `GET /v1/oauth/attempts/:attemptId`, proving ownership with the verifier. */
export const fetchAttempt = (
  relayUrl: string,
  attempt: Attempt,
  signal?: AbortSignal,
): Promise<AttemptResponse> =>
  relayFetch(
    relayUrl,
    ATTEMPTS + attempt.attemptId,
    { [ATTEMPT_VERIFIER_HEADER]: attempt.verifier },
    { signal },
  );
