import {
  type DisconnectResponse,
  type EndUserConnectionsResponse,
  type ROUTES,
  SESSION_AUTH_SCHEME,
} from "@instagram-connect/types";
import { relayFetch } from "../relay-client.ts";

// Typed against the contract's ROUTES literals, without bundling the whole table.
const CONNECTIONS: (typeof ROUTES)["sessionConnections"] = "/v1/sessions/connections";

const session = (token: string) => ({ Authorization: `${SESSION_AUTH_SCHEME} ${token}` });

/** `GET /v1/sessions/connections`: the session's end user's connections, on any device. */
export const fetchSessionConnections = (
  relayUrl: string,
  token: string,
): Promise<EndUserConnectionsResponse> => relayFetch(relayUrl, CONNECTIONS, session(token));

/** `DELETE /v1/sessions/connections/:connectionId`: disconnects one of the end user's connections. */
export const deleteSessionConnection = (
  relayUrl: string,
  token: string,
  connectionId: string,
): Promise<DisconnectResponse> =>
  relayFetch(relayUrl, `${CONNECTIONS}/${encodeURIComponent(connectionId)}`, session(token), {
    method: "DELETE",
  });
