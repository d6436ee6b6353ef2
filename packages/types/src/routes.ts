/** Every relay route path, relative to the relay's base URL. */
export const ROUTES = {
  health: "/health",
  oauthStart: "/v1/oauth/start",
  oauthCallback: "/v1/oauth/callback",
  /** POST (form `challenge=`): the relay issues a MAC'd attempt id bound to that challenge. */
  oauthAttempts: "/v1/oauth/attempts",
  oauthAttempt: "/v1/oauth/attempts/:attemptId",
  connectionMe: "/v1/connections/me",
  connectionMeMedia: "/v1/connections/me/media",
  metaDeauthorize: "/v1/meta/deauthorize",
  metaDataDeletion: "/v1/meta/data-deletion",
  metaDeletionStatus: "/v1/meta/deletion-status/:code",
  /** Instagram's webhooks: GET verification handshake, POST signed deliveries. */
  instagramWebhooks: "/v1/instagram/webhooks",
  /** An uploaded media file, served to Instagram while its publishing job needs it. */
  mediaUpload: "/v1/uploads/:uploadId",
  openapi: "/openapi.json",
  /** A public feed (CORS for the feed's allowed origins only). */
  feed: "/v1/feeds/:feedId",
  /** One image of a public feed, served from the relay's copy (or proxied). */
  feedMedia: "/v1/feeds/:feedId/media/:mediaId",
  /** Widget, with `Authorization: Session <token>`: the session's end user's connections. */
  sessionConnections: "/v1/sessions/connections",
  sessionConnection: "/v1/sessions/connections/:connectionId",
  /** The hosted connect link (`connectUrl` of a session): a relay page running the consent without React. */
  connectLink: "/v1/connect/:link",
  /** Public keys verifying connect receipts. */
  jwks: "/.well-known/jwks.json",
} as const;

/** Name of a relay route. */
export type RouteName = keyof typeof ROUTES;

/** Fills `:param` segments of a route path, encoding each value. */
export function routePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing route parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** Response of `GET /health`. */
export interface HealthResponse {
  ok: true;
  service: "instagram-connect-relay";
}

/** Response of `POST /v1/meta/data-deletion` (the shape Meta requires). */
export interface DataDeletionResponse {
  url: string;
  confirmation_code: string;
}
