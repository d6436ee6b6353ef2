import type { MediaItem, MediaPage } from "@instagram-connect/types";
import * as z from "zod/mini";

/** The fields the relay asks `/me/media` for. */
export const MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,thumbnail_url,timestamp";

const mediaNode = z.object({
  id: z.string().check(z.minLength(1)),
  caption: z.optional(z.nullable(z.string())),
  media_type: z.string(),
  // Omitted by Instagram for copyrighted material.
  media_url: z.optional(z.nullable(z.string())),
  permalink: z.optional(z.nullable(z.string())),
  thumbnail_url: z.optional(z.nullable(z.string())),
  timestamp: z.string(),
});

/** `/me/media` answer: `data` and Graph's `paging` (cursors; `next` only when more follow). */
export const igMediaPageSchema = z.object({
  data: z.array(mediaNode),
  paging: z.optional(
    z.object({
      cursors: z.optional(z.object({ before: z.optional(z.string()), after: z.optional(z.string()) })),
      next: z.optional(z.string()),
    }),
  ),
});

const MEDIA_TYPES = new Set<MediaItem["mediaType"]>(["IMAGE", "VIDEO", "CAROUSEL_ALBUM"]);

function isMediaType(value: string): value is MediaItem["mediaType"] {
  return MEDIA_TYPES.has(value as MediaItem["mediaType"]);
}

/**
 * Maps Graph's media page to the contract's `MediaPage`. Items of a type the contract does not
 * know are left out; `thumbnailUrl` is kept for VIDEO only; `nextCursor` is set only when Graph
 * says another page follows (`paging.next`), since the last page still carries an `after` cursor.
 */
export function toMediaPage(page: z.infer<typeof igMediaPageSchema>): MediaPage {
  const items: MediaItem[] = [];
  for (const node of page.data) {
    const mediaType = node.media_type.toUpperCase();
    if (!isMediaType(mediaType)) continue;
    items.push({
      id: node.id,
      caption: node.caption ?? null,
      mediaType,
      mediaUrl: node.media_url ?? null,
      permalink: node.permalink ?? null,
      thumbnailUrl: mediaType === "VIDEO" ? (node.thumbnail_url ?? null) : null,
      timestamp: node.timestamp,
    });
  }
  const after = page.paging?.cursors?.after;
  return { items, nextCursor: page.paging?.next && after ? after : null };
}
