import type { CommentPage, InstagramComment } from "@instagram-connect/types";
import * as z from "zod/mini";
import type { ReadContext } from "../cache/connection-reads.ts";
import { fail, ok, type Result } from "../result.ts";
import { accessAccount } from "./account-access.ts";

/**
 * Comments on the account's media (../shared/instagram-api-actions.md §2), all with
 * `instagram_business_manage_comments`. Another account's media or comment is answered by
 * Instagram as code 100 / subcode 33, which the client classifies as `instagram_object_not_found` (404).
 */

const COMMENT_FIELDS = "id,text,timestamp,username,like_count,hidden,parent_id";

const commentSchema = z.object({
  id: z.string(),
  text: z.optional(z.string()),
  timestamp: z.optional(z.string()),
  username: z.optional(z.string()),
  like_count: z.optional(z.number()),
  hidden: z.optional(z.boolean()),
  parent_id: z.optional(z.string()),
});
const commentPageSchema = z.object({
  data: z.array(commentSchema),
  paging: z.optional(
    z.object({
      cursors: z.optional(z.object({ after: z.optional(z.string()) })),
      next: z.optional(z.string()),
    }),
  ),
});
const idSchema = z.object({ id: z.string() });
const successSchema = z.object({ success: z.literal(true) });

/** Which list: a media's top-level comments or a comment's replies. */
export type CommentParent = { media: string } | { comment: string };

/** One page of comments (newest first) or replies; `nextCursor` only while Graph has a next page. */
export async function listComments(
  ctx: ReadContext,
  parent: CommentParent,
  page: { limit: number; after?: string | undefined },
): Promise<Result<CommentPage>> {
  const access = await accessAccount(ctx, "comments");
  if (!access.ok) return access;
  const path = "media" in parent ? `${parent.media}/comments` : `${parent.comment}/replies`;
  const query: Record<string, string> = { fields: COMMENT_FIELDS, limit: String(page.limit) };
  if (page.after) query.after = page.after;
  const answer = await access.value.client.act("GET", path, query, access.value.accessToken);
  if (!answer.ok) return answer;
  const parsed = commentPageSchema.safeParse(answer.value);
  if (!parsed.success) return fail({ code: "upstream_error", reason: "comments:malformed_page" });
  const { paging } = parsed.data;
  return ok({
    items: parsed.data.data.map(toComment),
    nextCursor: paging?.next ? (paging.cursors?.after ?? null) : null,
  });
}

/** Replies to a comment (a reply to a reply joins the top-level comment, as Instagram does). */
export async function replyToComment(
  ctx: ReadContext,
  commentId: string,
  message: string,
): Promise<Result<{ id: string }>> {
  const access = await accessAccount(ctx, "comments");
  if (!access.ok) return access;
  const answer = await access.value.client.act(
    "POST",
    `${commentId}/replies`,
    { message },
    access.value.accessToken,
  );
  if (!answer.ok) return answer;
  const parsed = idSchema.safeParse(answer.value);
  return parsed.success
    ? ok({ id: parsed.data.id })
    : fail({ code: "upstream_error", reason: "comments:malformed_reply" });
}

/** Hides or shows a comment. */
export function setCommentHidden(
  ctx: ReadContext,
  commentId: string,
  hidden: boolean,
): Promise<Result<void>> {
  return succeed(ctx, "POST", commentId, { hide: String(hidden) });
}

/** Deletes a comment (the media owner may delete anyone's comment). */
export function deleteComment(ctx: ReadContext, commentId: string): Promise<Result<void>> {
  return succeed(ctx, "DELETE", commentId, {});
}

/** Turns comments on a media on or off. */
export function setCommentsEnabled(
  ctx: ReadContext,
  mediaId: string,
  enabled: boolean,
): Promise<Result<void>> {
  return succeed(ctx, "POST", mediaId, { comment_enabled: String(enabled) });
}

async function succeed(
  ctx: ReadContext,
  method: "POST" | "DELETE",
  path: string,
  params: Record<string, string>,
): Promise<Result<void>> {
  const access = await accessAccount(ctx, "comments");
  if (!access.ok) return access;
  const answer = await access.value.client.act(method, path, params, access.value.accessToken);
  if (!answer.ok) return answer;
  return successSchema.safeParse(answer.value).success
    ? ok(undefined)
    : fail({ code: "upstream_error", reason: "comments:malformed_success" });
}

function toComment(raw: z.infer<typeof commentSchema>): InstagramComment {
  return {
    id: raw.id,
    text: raw.text ?? "",
    timestamp: raw.timestamp ?? "",
    username: raw.username ?? null,
    likeCount: raw.like_count ?? null,
    hidden: raw.hidden ?? null,
    parentId: raw.parent_id ?? null,
  };
}
