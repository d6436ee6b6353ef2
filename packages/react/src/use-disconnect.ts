"use client";
import { type UseMutationResult, useMutation } from "@tanstack/react-query";
import { type ConnectError, isDeadCredential } from "./connect-error.ts";
import { deleteConnection } from "./relay-client.ts";
import { type InstagramRelayOptions, type RelayContext, useRelayContext } from "./relay-context.ts";

/** The disconnect mutation for a resolved context (used by `useInstagramConnect`). */
export function useDisconnectMutation(context: RelayContext): UseMutationResult<void, ConnectError, void> {
  const { relayUrl, client, read, setHandle } = context;
  return useMutation<void, ConnectError, void>(
    {
      mutationFn: async () => {
        const handle = read();
        try {
          if (handle) await deleteConnection(relayUrl, handle);
        } catch (error) {
          // Already gone on the relay: disconnected as far as the visitor can tell.
          if (!isDeadCredential(error)) throw error;
        }
        setHandle(null);
      },
    },
    client,
  );
}

/**
 * Disconnects the stored connection (`DELETE /v1/connections/me`) and forgets its handle.
 *
 * @example
 * const disconnect = useDisconnect({ relayUrl });
 * <button onClick={() => disconnect.mutate()}>Disconnect</button>;
 */
export function useDisconnect(options: InstagramRelayOptions): UseMutationResult<void, ConnectError, void> {
  return useDisconnectMutation(useRelayContext(options));
}
