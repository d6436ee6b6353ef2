import type { MediaPage } from "@instagram-connect/types";
import { mediaPageSchema } from "../openapi/contract-schemas.ts";
import type { Result } from "../result.ts";
import { readCacheKey } from "../storage/kv-keys.ts";
import { cachedRead, type Served } from "./cached-read.ts";
import { prepareRead, type ReadContext, usableUntil } from "./read-context.ts";

/** Page sizes the relay accepts (Graph allows up to 100; widgets show a grid). */
export const MEDIA_LIMIT = { min: 1, max: 50, default: 12 } as const;

/** Graph's paging cursors are opaque base64-like strings; anything else is refused before upstream. */
export const MEDIA_CURSOR = /^[A-Za-z0-9_=.%-]{1,256}$/;

/** Which page to read. */
export interface MediaPageRequest {
  limit: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  after?: string | undefined;
}

/** Schema of a cached `MediaPage`: the contract schema the API also validates and documents with. */
export const mediaPageValueSchema = mediaPageSchema;

/**
 * One page of the connection's media from Instagram's `/me/media`, cached per connection and
 * page for `MEDIA_CACHE_SECONDS`, never past the earliest `oe` expiry of its media or thumbnail
 * URLs nor longer than a few hours, within the account's upstream budget.
 * @example
 * const page = await readMediaPage({ env: c.env, config: c.get("config"), record }, { limit: 12 });
 */
export async function readMediaPage(
  ctx: ReadContext,
  request: MediaPageRequest,
): Promise<Result<Served<MediaPage>>> {
  const prepared = await prepareRead(ctx);
  if (!prepared.ok) return prepared;
  const { settings, budget, generation, withToken } = prepared.value;
  return cachedRead({
    kv: ctx.env.CONNECTIONS,
    key: readCacheKey(
      ctx.record.connectionId,
      "media",
      generation,
      `${request.limit}:${request.after ?? "-"}`,
    ),
    schema: mediaPageValueSchema,
    freshSeconds: settings.mediaCacheSeconds,
    usableUntil: (page, fetchedAt) =>
      usableUntil(
        fetchedAt,
        page.items.flatMap((item) => [item.mediaUrl, item.thumbnailUrl]),
      ),
    budget,
    fetch: () => withToken((client, token) => client.fetchMedia(token, request)),
  });
}
