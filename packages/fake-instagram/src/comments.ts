import type { FieldSelection } from "./fields.ts";
import type { PublishingState } from "./publishing.ts";
import { nextId } from "./publishing.ts";
import { instagramTimestamp } from "./seed.ts";
import type { FakeMedia, FakeUser } from "./types.ts";

/** A comment or reply on a fake media item. */
export interface FakeComment {
  id: string;
  mediaId: string;
  /** Set on replies: the top-level comment they answer. */
  parentId?: string;
  text: string;
  /** Instagram's timestamp format. */
  timestamp: string;
  /** Commenter: an Instagram-scoped id and username (the account itself for its own replies). */
  from: { id: string; username: string };
  likeCount: number;
  hidden: boolean;
}

/** Fields the fake knows on an IG comment node. */
export const COMMENT_FIELDS = new Set([
  "id",
  "text",
  "timestamp",
  "username",
  "from",
  "like_count",
  "hidden",
  "parent_id",
  "media",
  "replies",
]);

const WORDS = ["Love this", "So good", "Where is this?", "Beautiful", "Need one", "Wow"];

function timeOf(timestamp: string): number {
  return Date.parse(timestamp.replace("+0000", "Z"));
}

/**
 * The comments of `media`, seeded on first use so `comments_count` matches: a few replies on the
 * newest comment, the rest top-level, one commenter per comment. Newest first.
 */
export function commentsOf(store: Map<string, FakeComment[]>, media: FakeMedia): FakeComment[] {
  const existing = store.get(media.id);
  if (existing) return existing;
  const total = media.commentsCount;
  const replies = total >= 3 ? 2 : 0;
  const base = timeOf(media.timestamp);
  const list: FakeComment[] = [];
  for (let i = 0; i < total - replies; i++) {
    list.push({
      id: `1792${media.id.slice(-9)}${String(i).padStart(4, "0")}`,
      mediaId: media.id,
      text: `${WORDS[i % WORDS.length]} #${i + 1}`,
      timestamp: instagramTimestamp(base + (i + 1) * 600_000),
      from: { id: `1795${media.id.slice(-9)}${String(i).padStart(4, "0")}`, username: `visitor_${i + 1}` },
      likeCount: i % 4,
      hidden: false,
    });
  }
  const newest = list[list.length - 1];
  for (let r = 0; newest && r < replies; r++) {
    list.push({
      id: `1793${media.id.slice(-9)}${String(r).padStart(4, "0")}`,
      mediaId: media.id,
      parentId: newest.id,
      text: `Replying, ${r + 1}`,
      timestamp: instagramTimestamp(timeOf(newest.timestamp) + (r + 1) * 60_000),
      from: { id: `1796${media.id.slice(-9)}${String(r).padStart(4, "0")}`, username: `friend_${r + 1}` },
      likeCount: 0,
      hidden: false,
    });
  }
  list.reverse();
  store.set(media.id, list);
  return list;
}

/** Adds a comment (or a reply, attached to the top-level comment) as the newest one. */
export function addComment(
  store: Map<string, FakeComment[]>,
  pub: PublishingState,
  media: FakeMedia,
  input: { text: string; from: { id: string; username: string }; parentId?: string; timestamp: string },
): FakeComment {
  const list = commentsOf(store, media);
  const parent = input.parentId ? list.find((c) => c.id === input.parentId) : undefined;
  const comment: FakeComment = {
    id: nextId(pub, "1792"),
    mediaId: media.id,
    text: input.text,
    timestamp: input.timestamp,
    from: input.from,
    likeCount: 0,
    hidden: false,
    ...(parent ? { parentId: parent.parentId ?? parent.id } : {}),
  };
  list.unshift(comment);
  media.commentsCount++;
  return comment;
}

/** Removes a comment and its replies; returns how many went. */
export function deleteComment(store: Map<string, FakeComment[]>, media: FakeMedia, id: string): number {
  const list = commentsOf(store, media);
  const kept = list.filter((c) => c.id !== id && c.parentId !== id);
  const removed = list.length - kept.length;
  store.set(media.id, kept);
  media.commentsCount = Math.max(0, media.commentsCount - removed);
  return removed;
}

/** A comment as Graph returns it: requested fields, `id` always; `replies{...}` as an edge. */
export function commentView(
  comment: FakeComment,
  fields: FieldSelection[],
  media: FakeMedia,
  owner: FakeUser,
  all: FakeComment[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field.name) {
      case "text":
        out.text = comment.text;
        break;
      case "timestamp":
        out.timestamp = comment.timestamp;
        break;
      case "username":
        out.username = comment.from.username;
        break;
      case "from":
        out.from = { ...comment.from };
        break;
      case "like_count":
        out.like_count = comment.likeCount;
        break;
      case "hidden":
        out.hidden = comment.hidden;
        break;
      case "parent_id":
        if (comment.parentId) out.parent_id = comment.parentId;
        break;
      case "media":
        out.media = {
          id: media.id,
          media_product_type: media.productType ?? (media.mediaType === "VIDEO" ? "REELS" : "FEED"),
        };
        break;
      case "replies": {
        const sub = field.children ?? [{ name: "id" }];
        const replies = all.filter((c) => c.parentId === comment.id).reverse();
        out.replies = { data: replies.map((r) => commentView(r, sub, media, owner, all)) };
        break;
      }
    }
  }
  out.id = comment.id;
  return out;
}

/** Finds a comment anywhere, with its media and the media's owner. */
export function findComment(
  store: Map<string, FakeComment[]>,
  users: FakeUser[],
  id: string,
): { comment: FakeComment; media: FakeMedia; owner: FakeUser } | undefined {
  for (const [mediaId, list] of store) {
    const comment = list.find((c) => c.id === id);
    if (!comment) continue;
    for (const owner of users) {
      const media = owner.media.find((m) => m.id === mediaId);
      if (media) return { comment, media, owner };
    }
  }
  return undefined;
}
