"use client";
import {
  type ConnectionView,
  type DisconnectResponse,
  type EndUserConnectionsResponse,
  type ROUTES,
  SESSION_AUTH_SCHEME,
} from "@instagram-connect/types";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { ConnectError } from "../connect-error.ts";
import { relayFetch } from "../relay-client.ts";
import { connectionKey, useRelayContext } from "../relay-context.ts";
import type { InstagramConnectController } from "../use-instagram-connect.ts";
import { type UseSessionConnectOptions, useInstagramConnect } from "./session-connect.tsx";
import { checked, type SessionConnectOptions } from "./session-start.ts";

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

/** Options of `useInstagramAccounts`: a connect session is required. */
export interface UseInstagramAccountsOptions
  extends Omit<UseSessionConnectOptions, "forceLogin" | "onDisconnect"> {
  /** After one of the end user's connections was disconnected (by `disconnect` or `switchAccount`). */
  onDisconnect?: (connectionId: string) => void;
}

/** The end user's connections and the actions on them. */
export interface InstagramAccountsController {
  /** The list: `loading` until the relay answered, then `ready`, or `error` (see `error`). */
  status: "loading" | "ready" | "error";
  /** The end user's connections on the relay (so on any device), newest first. */
  accounts: ConnectionView[];
  /** Why the list (or the last disconnect) failed: `invalid_session` when the token is unknown or expired. */
  error: ConnectError | null;
  /** The consent in progress or its outcome (`connecting`, `denied`, `session`, ...), with cancel and retry. */
  flow: InstagramConnectController;
  /** Connects one more account, asking Instagram for a fresh login (the first one: the current login). Call it from a click. */
  connectAnother: () => void;
  /** Connects another account in place of `connectionId` (fresh login); the old one is disconnected once the new one is in. */
  switchAccount: (connectionId: string) => void;
  /** Connects `connectionId` again (e.g. `reauth_required`); `getSessionToken` gets `{ reconnectConnectionId }`. */
  reconnect: (connectionId: string) => void;
  /** Disconnects one of the end user's connections. */
  disconnect: (connectionId: string) => Promise<void>;
  /** Reads the list again. */
  refresh: () => void;
}

/**
 * The end user's Instagram connections from the relay (`Authorization: Session <token>`), so a
 * signed-in user sees theirs on any device, with connect another, switch and reconnect. Needs
 * `sessionToken` or `getSessionToken`; with `getSessionToken` an expired token is replaced once.
 *
 * @example
 * const accounts = useInstagramAccounts({ relayUrl, getSessionToken: () => fetch("/api/ig-session").then((r) => r.text()) });
 */
export function useInstagramAccounts(options: UseInstagramAccountsOptions): InstagramAccountsController {
  const latest = useRef(options);
  latest.current = options;
  // The next connect's extras (fresh login, reconnect) and the connection it replaces (switch).
  const intent = useRef<SessionConnectOptions & { replace?: string }>({});
  // The token used to list and disconnect (a used one keeps working until it expires).
  const readToken = useRef<string | null>(null);
  // Without `storage`, a handle only lives until the connect settled (see onConnect).
  const storage = options.storage ?? "memory";
  const context = useRelayContext({ ...options, storage });
  const { relayUrl, client } = context;
  const listKey = connectionKey(relayUrl, `session-connections:${options.sessionToken ?? ""}`);

  // Listing and disconnecting accept a used session until it expires: `sessionToken` until the
  // relay refuses it, then one token from `getSessionToken`, replaced once whenever refused.
  const token = async (fresh?: boolean): Promise<string> => {
    const { sessionToken, getSessionToken } = latest.current;
    if (fresh || !(readToken.current || sessionToken)) {
      readToken.current = checked(getSessionToken ? await getSessionToken({}) : sessionToken);
    }
    return readToken.current || (sessionToken as string);
  };
  const withToken = async <T>(request: (token: string) => Promise<T>): Promise<T> => {
    try {
      return await request(await token());
    } catch (error) {
      if ((error as ConnectError).code !== "invalid_session" || !latest.current.getSessionToken) throw error;
      return request(await token(true));
    }
  };

  const list = useQuery<ConnectionView[], ConnectError>(
    {
      queryKey: listKey,
      queryFn: () => withToken((t) => fetchSessionConnections(relayUrl, t)).then((r) => r.items),
      retry: false,
      staleTime: 30_000,
    },
    client,
  );

  const listError = list.error;
  useEffect(() => {
    if (listError) latest.current.onError?.(listError);
  }, [listError]);

  // A disconnect that failed (the list itself is fine): shown until the next action.
  const [failed, setFailed] = useState<ConnectError | null>(null);

  const disconnect = async (connectionId: string): Promise<void> => {
    setFailed(null);
    try {
      await withToken((t) => deleteSessionConnection(relayUrl, t, connectionId));
    } catch (error) {
      // Already gone: disconnected as far as the user can tell.
      if ((error as ConnectError).code !== "connection_not_found") {
        setFailed(error as ConnectError);
        latest.current.onError?.(error as ConnectError);
        throw error;
      }
    }
    if (context.read()?.connectionId === connectionId) context.setHandle(null);
    client.setQueryData<ConnectionView[]>(listKey, (items) => items?.filter((c) => c.id !== connectionId));
    latest.current.onDisconnect?.(connectionId);
  };

  const flow = useInstagramConnect(
    {
      ...options,
      storage,
      onDisconnect: undefined,
      onConnect: (connection, receipt) => {
        const replaced = intent.current.replace;
        intent.current = {};
        // The list is the truth here: no handle is kept (and read back) unless `storage` asks for it.
        if (!latest.current.storage) context.setHandle(null);
        client.setQueryData<ConnectionView[]>(listKey, (items = []) => [
          connection,
          ...items.filter((c) => c.id !== connection.id),
        ]);
        void client.invalidateQueries({ queryKey: listKey });
        // Switching to the same account again is just a reconnect: nothing to remove.
        if (replaced && replaced !== connection.id) disconnect(replaced).catch(() => {});
        latest.current.onConnect?.(connection, receipt);
      },
    },
    () => intent.current,
  );

  const start = (next: typeof intent.current) => {
    // A running consent keeps its own intent (a switch must not remove another account).
    if (flow.state === "connecting" || flow.state === "blocked") return;
    setFailed(null);
    intent.current = next;
    flow.connect();
  };
  const accounts = list.data ?? [];
  return {
    status: list.isPending ? "loading" : list.isError || failed ? "error" : "ready",
    accounts,
    error: list.error ?? failed,
    flow,
    connectAnother: () => start({ forceLogin: accounts.length > 0 }),
    switchAccount: (connectionId) => start({ forceLogin: true, replace: connectionId }),
    reconnect: (connectionId) => start({ reconnectConnectionId: connectionId }),
    disconnect,
    refresh: () => {
      setFailed(null);
      void list.refetch();
    },
  };
}
