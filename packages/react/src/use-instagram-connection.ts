"use client";
import type { ConnectionHandle, ConnectionView } from "@instagram-connect/types";
import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { ConnectError } from "./connect-error.ts";
import { fetchConnection } from "./relay-client.ts";
import {
  connectionKey,
  forgetIfDead,
  type InstagramRelayOptions,
  type RelayContext,
  useRelayContext,
} from "./relay-context.ts";

/** The stored connection's query; `select` (a stable function) picks what the caller wants from it. */
export function useConnectionQuery<T = ConnectionView>(
  context: RelayContext,
  select?: (connection: ConnectionView) => T,
): UseQueryResult<T, ConnectError> {
  const { relayUrl, handle, client } = context;
  return useQuery<ConnectionView, ConnectError, T>(
    {
      queryKey: connectionKey(relayUrl, handle?.connectionId),
      // Only enabled with a handle.
      queryFn: () =>
        forgetIfDead(context, fetchConnection(relayUrl, handle as ConnectionHandle)).then(
          (r) => r.connection,
        ),
      enabled: !!handle,
      select,
      // Errors here are answers (dead credential, reauth, 429): the widget offers its own retry.
      retry: false,
      staleTime: 60_000,
    },
    client,
  );
}

/**
 * The stored connection (`GET /v1/connections/me`); no data while nobody is connected. A dead
 * credential (401, 404) is forgotten.
 *
 * @example
 * const { data: connection } = useInstagramConnection({ relayUrl: "https://relay.example.com" });
 */
export function useInstagramConnection(
  options: InstagramRelayOptions,
): UseQueryResult<ConnectionView, ConnectError> {
  return useConnectionQuery(useRelayContext(options));
}
