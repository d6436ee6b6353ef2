import type { MediaItem } from "@instagram-connect/types";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { upstreamFetch } from "../runtime.ts";
import { feedMediaKey } from "../storage/kv-keys.ts";

/**
 * Fetching a feed image from Instagram's CDN, bounded: only raster image types (never SVG or
 * HTML, which could carry script when served from the relay's origin), at most `maxBytes`
 * (checked against Content-Length and again while reading, since the header may be absent or
 * wrong). Used to copy an image into R2 (`copy` mode) and to stream it through (`proxy` mode).
 */

/** Content types a feed image may have (what Instagram's CDN serves). */
export const FEED_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"];

/** A fetched image. */
export interface FeedImage {
  bytes: ArrayBuffer;
  contentType: string;
}

/** The image a feed shows for an item: a video's poster, otherwise the media (a carousel's first). */
export function imageSource(item: MediaItem): string | null {
  return item.mediaType === "VIDEO" ? item.thumbnailUrl : item.mediaUrl;
}

/**
 * Fetches one image within the bounds; `upstream_error` (logged with the precise reason) for a
 * refused status, type or size, `upstream_timeout` when the CDN does not answer in time.
 */
export async function fetchFeedImage(
  url: string,
  limits: { maxBytes: number; timeoutMs: number },
): Promise<Result<FeedImage>> {
  let response: Response;
  try {
    response = await upstreamFetch(url, { signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    const timeout = error instanceof Error && error.name === "TimeoutError";
    return refused(timeout ? "upstream_timeout" : "upstream_error", timeout ? "timeout" : "network");
  }
  if (!response.ok) return refusedDiscarding(response, `status_${response.status}`);
  const contentType = (response.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!FEED_IMAGE_TYPES.includes(contentType)) return refusedDiscarding(response, "content_type");
  const declared = Number(response.headers.get("Content-Length") ?? "0");
  if (declared > limits.maxBytes) return refusedDiscarding(response, "oversized");
  const bytes = await readBounded(response, limits.maxBytes);
  if (!bytes) return refused("upstream_error", "oversized");
  return ok({ bytes, contentType });
}

/** Copies an item's image into R2 at `feeds/<feedId>/<mediaId>`. */
export async function copyFeedImage(
  bucket: R2Bucket,
  feedId: string,
  mediaId: string,
  image: FeedImage,
): Promise<void> {
  await bucket.put(feedMediaKey(feedId, mediaId), image.bytes, {
    httpMetadata: { contentType: image.contentType },
  });
}

async function readBounded(response: Response, maxBytes: number): Promise<ArrayBuffer | null> {
  if (!response.body) return new ArrayBuffer(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}

async function refusedDiscarding(response: Response, reason: string): Promise<Result<FeedImage>> {
  await response.body?.cancel();
  return refused("upstream_error", reason);
}

function refused(code: "upstream_error" | "upstream_timeout", reason: string): Result<FeedImage> {
  logEvent("warn", "feed_image_refused", { reason });
  return fail({ code, reason: `feed_image:${reason}` });
}
