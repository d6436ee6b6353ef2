"use client";
import { type UseMutationResult, useMutation } from "@tanstack/react-query";
import { type ConnectError, isDeadCredential } from "./connect-error.ts";
import { deleteConnection } from "./relay-client.ts";
import { type InstagramRelayOptions, type RelayContext, useRelayContext } from "./relay-context.ts";

/** Disconnects the stored connection and forgets its handle (used by `useInstagramConnect` and `useDisconnect`). */
export async function disconnectStored({ relayUrl, read, setHandle }: RelayContext): Promise<void> {
  const handle = read();
  try {
    if (handle) await deleteConnection(relayUrl, handle);
  } catch (error) {
    // Already gone on the relay: disconnected as far as the visitor can tell.
    if (!isDeadCredential(error)) throw error;
  }
  setHandle(null);
}

/**
 * Disconnects the stored connection (`DELETE /v1/connections/me`) and forgets its handle.
 *
 * @example
 * const disconnect = useDisconnect({ relayUrl });
 * <button onClick={() => disconnect.mutate()}>Disconnect</button>;
 */
export function useDisconnect(options: InstagramRelayOptions): UseMutationResult<void, ConnectError, void> {
  const context = useRelayContext(options);
  return useMutation<void, ConnectError, void>(
    { mutationFn: () => disconnectStored(context) },
    context.client,
  );
}
