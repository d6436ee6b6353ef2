import type { FieldSelection } from "./fields.ts";
import type { FakeMedia, FakeMediaChild, FakeUser } from "./types.ts";

/** Fields the fake knows on an IG media node. */
export const MEDIA_FIELDS = new Set([
  "id",
  "caption",
  "media_type",
  "media_url",
  "permalink",
  "thumbnail_url",
  "timestamp",
  "username",
  "like_count",
  "comments_count",
  "children",
  "is_comment_enabled",
  "media_product_type",
  "shortcode",
]);

/** Builds a signed, expiring CDN URL for a file name without extension (see `cdn-sign.ts`). */
export type CdnUrlFor = (name: string) => string;

function childView(child: FakeMediaChild, fields: FieldSelection[], cdn: CdnUrlFor) {
  const out: Record<string, unknown> = {};
  for (const { name } of fields) {
    if (name === "media_type") out.media_type = child.mediaType;
    else if (name === "media_url") out.media_url = cdn(child.id);
    else if (name === "thumbnail_url" && child.mediaType === "VIDEO")
      out.thumbnail_url = cdn(`${child.id}_thumb`);
  }
  out.id = child.id;
  return out;
}

/** A media item as Graph returns it: only requested fields, `id` always, Graph's own omissions. */
export function mediaView(
  item: FakeMedia,
  user: FakeUser,
  fields: FieldSelection[],
  origin: string,
  cdn: CdnUrlFor,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field.name) {
      case "caption":
        if (item.caption !== undefined) out.caption = item.caption;
        break;
      case "media_type":
        out.media_type = item.mediaType;
        break;
      case "media_url":
        if (!item.copyrighted) out.media_url = cdn(item.id);
        break;
      case "permalink":
        out.permalink = `${origin}/p/${item.shortcode}/`;
        break;
      case "thumbnail_url":
        if (item.mediaType === "VIDEO") out.thumbnail_url = cdn(`${item.id}_thumb`);
        break;
      case "timestamp":
        out.timestamp = item.timestamp;
        break;
      case "username":
        out.username = user.username;
        break;
      case "like_count":
        out.like_count = item.likeCount;
        break;
      case "comments_count":
        out.comments_count = item.commentsCount;
        break;
      case "children":
        if (item.children) {
          const sub = field.children ?? [{ name: "id" }];
          out.children = { data: item.children.map((c) => childView(c, sub, cdn)) };
        }
        break;
      case "is_comment_enabled":
        out.is_comment_enabled = item.commentEnabled !== false;
        break;
      case "media_product_type":
        out.media_product_type = item.productType ?? (item.mediaType === "VIDEO" ? "REELS" : "FEED");
        break;
      case "shortcode":
        out.shortcode = item.shortcode;
        break;
    }
  }
  out.id = item.id;
  return out;
}
