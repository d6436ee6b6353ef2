import { ERROR_MESSAGES, isRelayError, type PublicFeed, ROUTES, routePath } from "@instagram-connect/types";
import type { FetchLike, RelayResult } from "./relay-client.ts";

/** Options of `getInstagramFeed`. */
export interface GetInstagramFeedOptions {
  /** The relay's base URL. */
  relayUrl: string;
  feedId: string;
  /** Defaults to `globalThis.fetch` (Next.js's, so `init.next` caching applies). */
  fetch?: FetchLike;
  /** Extra fetch options, e.g. `{ next: { revalidate: 300 } }` in Next.js. */
  init?: RequestInit & Record<string, unknown>;
}

/**
 * Reads a public feed on the server (Next.js server components, static generation, any
 * server): no API key, the feed is public. Pass the result to `<InstagramFeed initialFeed>` so
 * the page renders the posts without a request from the browser. Failures are values.
 * @example
 * const feed = await getInstagramFeed({ relayUrl, feedId, init: { next: { revalidate: 300 } } });
 * return feed.ok ? <InstagramFeed relayUrl={relayUrl} feedId={feedId} initialFeed={feed.data} /> : null;
 */
export async function getInstagramFeed(options: GetInstagramFeedOptions): Promise<RelayResult<PublicFeed>> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const url = `${options.relayUrl.replace(/\/+$/, "")}${routePath(ROUTES.feed, { feedId: options.feedId })}`;
  const response = await doFetch(url, { ...options.init, headers: { Accept: "application/json" } });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined)
    return { ok: true, status: response.status, data: body as PublicFeed };
  if (isRelayError(body)) return { ok: false, status: response.status, error: body.error };
  return {
    ok: false,
    status: response.status,
    error: { code: "internal_error", message: ERROR_MESSAGES.internal_error },
  };
}
