"use client";
import type { ConnectionHandle, MediaPage } from "@instagram-connect/types";
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from "@tanstack/react-query";
import type { ConnectError } from "./connect-error.ts";
import { fetchMedia } from "./relay-client.ts";
import { connectionKey, forgetIfDead, type InstagramRelayOptions, useRelayContext } from "./relay-context.ts";

/** Options of `useInstagramMedia`. */
export interface UseInstagramMediaOptions extends InstagramRelayOptions {
  /** Items per page (default 12). */
  limit?: number;
}

/**
 * The connected account's media, paged by the relay's `nextCursor`.
 *
 * @example
 * const media = useInstagramMedia({ relayUrl, limit: 12 });
 * const items = media.data?.pages.flatMap((page) => page.items) ?? [];
 * media.hasNextPage && media.fetchNextPage();
 */
export function useInstagramMedia(
  options: UseInstagramMediaOptions,
): UseInfiniteQueryResult<InfiniteData<MediaPage, string>, ConnectError> {
  const context = useRelayContext(options);
  const { relayUrl, handle, client } = context;
  const limit = options.limit ?? 12;
  return useInfiniteQuery<MediaPage, ConnectError, InfiniteData<MediaPage, string>, unknown[], string>(
    {
      queryKey: [...connectionKey(relayUrl, handle?.connectionId), "media", limit],
      // Only enabled with a handle.
      queryFn: ({ pageParam }) =>
        forgetIfDead(context, fetchMedia(relayUrl, handle as ConnectionHandle, limit, pageParam)),
      initialPageParam: "",
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      enabled: !!handle,
      retry: false,
      // Media URLs are signed and expire within hours: keep them a few minutes only.
      staleTime: 300_000,
    },
    client,
  );
}
