import type { PublishMedia, PublishRequest } from "@instagram-connect/types";
import * as z from "zod/mini";
import { fail, ok, type Result } from "../result.ts";
import type { AccountAccess } from "./account-access.ts";

/**
 * The Instagram calls of one publish (../shared/instagram-api-actions.md §1): the publishing
 * limit, container creation, container status, `media_publish` and the permalink. Each returns
 * a Result; the job (publish-job.ts) decides what to retry.
 */

const limitSchema = z.object({
  data: z.array(
    z.object({
      quota_usage: z.number(),
      config: z.optional(z.object({ quota_total: z.number(), quota_duration: z.optional(z.number()) })),
    }),
  ),
});
const idSchema = z.object({ id: z.string() });
const statusSchema = z.object({ status_code: z.string(), status: z.optional(z.string()) });
const permalinkSchema = z.object({ permalink: z.optional(z.string()) });

/**
 * Whether the account may publish now: `quota_usage` below `config.quota_total` (read every
 * time, never hard-coded: Meta documents both 50 and 100). A full quota is `publishing_limit_reached`.
 */
export async function checkPublishingLimit(access: AccountAccess): Promise<Result<void>> {
  const answer = await access.client.act(
    "GET",
    `${access.userId}/content_publishing_limit`,
    { fields: "quota_usage,config" },
    access.accessToken,
  );
  if (!answer.ok) return answer;
  const parsed = limitSchema.safeParse(answer.value);
  const entry = parsed.success ? parsed.data.data[0] : undefined;
  if (!entry) return fail({ code: "upstream_error", reason: "publish:malformed_limit" });
  if (entry.config && entry.quota_usage >= entry.config.quota_total) {
    return fail({
      code: "publishing_limit_reached",
      reason: `publish:quota_${entry.quota_usage}_of_${entry.config.quota_total}`,
    });
  }
  return ok(undefined);
}

/**
 * Creates the post's container and returns its id; for a carousel, first each item's container
 * (`is_carousel_item`), then the parent with their ids as `children`. `video` is a reel: a
 * standalone `VIDEO` container is refused by Instagram (2207089).
 */
export async function createContainer(
  access: AccountAccess,
  request: PublishRequest,
  urlOf: (media: PublishMedia) => string,
): Promise<Result<string>> {
  const mediaParams = (media: PublishMedia, kind: "image" | "video"): Record<string, string> =>
    kind === "video" ? { video_url: urlOf(media) } : { image_url: urlOf(media) };
  const params: Record<string, string> = {};
  if (request.type === "carousel") {
    const children: string[] = [];
    for (const item of request.items ?? []) {
      const child = await create(access, {
        ...mediaParams(item, item.kind ?? "image"),
        is_carousel_item: "true",
        ...videoType(item),
      });
      if (!child.ok) return child;
      children.push(child.value);
    }
    Object.assign(params, { media_type: "CAROUSEL", children: children.join(",") });
  } else if (request.media) {
    const kind =
      request.type === "reel" || request.type === "video" ? "video" : (request.media.kind ?? "image");
    Object.assign(params, mediaParams(request.media, kind));
    if (request.type === "reel" || request.type === "video") {
      params.media_type = "REELS";
      params.share_to_feed = String(request.shareToFeed ?? true);
    }
    if (request.type === "story") params.media_type = "STORIES";
  }
  if (request.caption !== undefined) params.caption = request.caption;
  if (request.altText !== undefined && request.type === "image") params.alt_text = request.altText;
  return create(access, params);
}

/** The container's `status_code` (IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED) and text. */
export async function containerStatus(
  access: AccountAccess,
  containerId: string,
): Promise<Result<{ code: string; text: string }>> {
  const answer = await access.client.act(
    "GET",
    containerId,
    { fields: "status_code,status" },
    access.accessToken,
  );
  if (!answer.ok) return answer;
  const parsed = statusSchema.safeParse(answer.value);
  if (!parsed.success) return fail({ code: "upstream_error", reason: "publish:malformed_status" });
  return ok({ code: parsed.data.status_code, text: parsed.data.status ?? "" });
}

/** Publishes a FINISHED container; returns the new media id. */
export async function publishContainer(access: AccountAccess, containerId: string): Promise<Result<string>> {
  const answer = await access.client.act(
    "POST",
    `${access.userId}/media_publish`,
    { creation_id: containerId },
    access.accessToken,
  );
  return idOf(answer, "publish:malformed_publish");
}

/** The published media's permalink (null when Instagram does not give one, e.g. stories). */
export async function readPermalink(access: AccountAccess, mediaId: string): Promise<string | null> {
  const answer = await access.client.act("GET", mediaId, { fields: "permalink" }, access.accessToken);
  if (!answer.ok) return null;
  const parsed = permalinkSchema.safeParse(answer.value);
  return parsed.success ? (parsed.data.permalink ?? null) : null;
}

async function create(access: AccountAccess, params: Record<string, string>): Promise<Result<string>> {
  const answer = await access.client.act("POST", `${access.userId}/media`, params, access.accessToken);
  return idOf(answer, "publish:malformed_container");
}

function videoType(item: PublishMedia): Record<string, string> {
  return item.kind === "video" ? { media_type: "VIDEO" } : {};
}

function idOf(answer: Result<unknown>, reason: string): Result<string> {
  if (!answer.ok) return answer;
  const parsed = idSchema.safeParse(answer.value);
  return parsed.success ? ok(parsed.data.id) : fail({ code: "upstream_error", reason });
}
