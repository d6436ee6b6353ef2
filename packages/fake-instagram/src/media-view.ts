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
]);

const CDN_LIFETIME_S = 3 * 86_400;

/** Signed-looking CDN URLs on the fake's own host, expiring (`oe`, hex seconds) three days from `nowMs`. */
export function cdnUrl(origin: string, file: string, nowMs: number): string {
  const expiry = Math.floor(nowMs / 1000) + CDN_LIFETIME_S;
  return `${origin}/cdn/${file}?oe=${expiry.toString(16).toUpperCase()}`;
}

function childView(child: FakeMediaChild, fields: FieldSelection[], origin: string, now: number) {
  const out: Record<string, unknown> = {};
  for (const { name } of fields) {
    if (name === "media_type") out.media_type = child.mediaType;
    else if (name === "media_url") out.media_url = cdnUrl(origin, `${child.id}.svg`, now);
    else if (name === "thumbnail_url" && child.mediaType === "VIDEO")
      out.thumbnail_url = cdnUrl(origin, `${child.id}_thumb.svg`, now);
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
  now: number,
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
        if (!item.copyrighted) out.media_url = cdnUrl(origin, `${item.id}.svg`, now);
        break;
      case "permalink":
        out.permalink = `${origin}/p/${item.shortcode}/`;
        break;
      case "thumbnail_url":
        if (item.mediaType === "VIDEO") out.thumbnail_url = cdnUrl(origin, `${item.id}_thumb.svg`, now);
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
          out.children = { data: item.children.map((c) => childView(c, sub, origin, now)) };
        }
        break;
    }
  }
  out.id = item.id;
  return out;
}
