"use client";
import type { ConnectionHandle } from "@instagram-connect/types";
import { QueryClient, QueryClientContext, useQuery } from "@tanstack/react-query";
import { useContext, useSyncExternalStore } from "react";
import { isDeadCredential } from "./connect-error.ts";
import { credentialStore, type StorageMode } from "./credential-store.ts";

/** Options every hook takes: which relay, where the handle lives, which QueryClient. */
export interface InstagramRelayOptions {
  /** Base URL of the instagram-connect relay, e.g. `https://relay.example.com`. */
  relayUrl: string;
  /** Where to keep the connection handle (default `"local"`). */
  storage?: StorageMode;
  /** QueryClient to use; defaults to the host's `QueryClientProvider`, else a private one. */
  queryClient?: QueryClient;
}

/** What the hooks share: the resolved client, the current handle and a way to replace it. */
export interface RelayContext {
  /** The normalised relay URL (no trailing slash): one key for storage and queries, however it was written. */
  relayUrl: string;
  client: QueryClient;
  handle: ConnectionHandle | null;
  /** False until the stored handle has been read (on the server and in the first client render). */
  ready: boolean;
  /** Reads the stored handle now (it may not have reached `handle` yet). Browser-only. */
  read: () => ConnectionHandle | null;
  /** Stores the handle, or with null forgets it and the data cached for it. */
  setHandle: (handle: ConnectionHandle | null) => void;
}

const subscribeNever = () => () => {};

/**
 * False on the server and while hydrating (so the first client render matches the server's
 * neutral one), true in any other client render (which may then read storage at once).
 */
const useClientRender = (): boolean =>
  useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );

let privateClient: QueryClient | undefined;

// Created on first use only, for hosts without a QueryClientProvider.
const getPrivateClient = () => (privateClient ??= new QueryClient());

/**
 * The relay URL without trailing slashes. In development, throws on anything but an absolute
 * http(s) URL (an unset env var gives "", which would open the site's own pages).
 */
export function normalizeRelayUrl(relayUrl: string): string {
  if (process.env.NODE_ENV !== "production" && !/^https?:\/\/[^/?#]/.test(relayUrl)) {
    throw new Error(
      `instagram-connect: relayUrl must be an absolute http(s) URL, got ${JSON.stringify(relayUrl)}`,
    );
  }
  return relayUrl.replace(/\/+$/, "");
}

/** Query key of a connection, and prefix of everything else cached for it (media). */
export const connectionKey = (relayUrl: string, connectionId?: string): unknown[] => [
  "instagram-connect",
  relayUrl,
  connectionId,
];

/**
 * Resolves the client and follows the stored handle. The handle lives in the query cache, so
 * every hook on one client sees a change at once; storage is read by the query function,
 * which never runs during render (SSR-safe).
 */
export function useRelayContext({
  relayUrl: raw,
  storage,
  queryClient,
}: InstagramRelayOptions): RelayContext {
  const relayUrl = normalizeRelayUrl(raw);
  const host = useContext(QueryClientContext);
  const client = queryClient ?? host ?? getPrivateClient();
  const store = credentialStore(relayUrl, storage);
  const queryKey = connectionKey(relayUrl, "handle");
  const client_ = useClientRender();
  const read = useQuery(
    { queryKey, queryFn: store.read, staleTime: Infinity, initialData: client_ ? store.read : undefined },
    client,
  );
  const handle = read.data ?? null;
  return {
    relayUrl,
    client,
    handle,
    ready: client_ && !read.isPending,
    read: store.read,
    setHandle: (next) => {
      // Forgetting drops everything cached for the old connection (profile, media).
      if (!next) client.removeQueries({ queryKey: connectionKey(relayUrl, handle?.connectionId) });
      store.write(next);
      client.setQueryData(queryKey, next);
    },
  };
}

/** Runs a request for the stored connection, forgetting the handle if it proves the credential dead. */
export const forgetIfDead = <T>({ setHandle }: RelayContext, request: Promise<T>): Promise<T> =>
  request.catch((error) => {
    if (isDeadCredential(error)) setHandle(null);
    throw error;
  });
