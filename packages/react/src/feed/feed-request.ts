import type { ErrorCode, PublicFeed } from "@instagram-connect/types";

/** Why a feed could not be shown: a contract error code, or `network` when the relay was not reached. */
export type FeedErrorCode = ErrorCode | "network";

/** A failed feed read. */
export class FeedError extends Error {
  constructor(readonly code: FeedErrorCode) {
    super(code);
    this.name = "FeedError";
  }
}

/**
 * Reads a public feed from the relay (`GET /v1/feeds/:feedId`, no credentials: the relay answers
 * CORS for the feed's allowed origins). The browser's HTTP cache revalidates with the ETag.
 */
export async function requestFeed(
  relayUrl: string,
  feedId: string,
  signal?: AbortSignal,
): Promise<PublicFeed> {
  let response: Response;
  try {
    response = await fetch(`${relayUrl.replace(/\/+$/, "")}/v1/feeds/${encodeURIComponent(feedId)}`, {
      signal,
      credentials: "omit",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new FeedError("network");
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const code = (body as { error?: { code?: ErrorCode } } | null)?.error?.code;
    throw new FeedError(code ?? "upstream_error");
  }
  return body as PublicFeed;
}
