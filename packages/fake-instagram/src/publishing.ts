import type { FakeContext } from "./context.ts";
import { type GraphErrorBody, graphError, publishingError } from "./graph-errors.ts";
import { instagramTimestamp } from "./seed.ts";
import type { FakeMedia, FakeUser } from "./types.ts";

/** Containers expire when not published within 24 h; the publishing window is a moving 24 h. */
export const DAY_MS = 86_400_000;
const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
const MAX_CAPTION = 2200;
const MAX_HASHTAGS = 30;
const MAX_MENTIONS = 20;

/** `media_type` values `POST /{ig-user-id}/media` accepts (omitted = a feed image). */
export type ContainerType = "IMAGE" | "VIDEO" | "REELS" | "STORIES" | "CAROUSEL";

/** A publishing container, as `fake.containers` lists them. */
export interface FakeContainer {
  id: string;
  /** App-scoped id of the owning account. */
  ownerId: string;
  mediaType: ContainerType;
  imageUrl?: string;
  videoUrl?: string;
  caption?: string;
  isCarouselItem: boolean;
  /** Child container ids of a CAROUSEL. */
  children: string[];
  /** Fake-clock ms. */
  createdAt: number;
  /** Fake-clock ms at which processing ends (FINISHED, or ERROR when `failure` is set). */
  readyAt: number;
  failure?: { code: number; subcode: number; message: string };
  publishedMediaId?: string;
}

/** `status_code` of a container. */
export type ContainerStatus = "IN_PROGRESS" | "FINISHED" | "PUBLISHED" | "ERROR" | "EXPIRED";

/** Where the fake keeps publishing state. */
export interface PublishingState {
  containers: Map<string, FakeContainer>;
  /** Publish times (fake-clock ms) per app-scoped user id. */
  published: Map<string, number[]>;
  /** Stories are published but never listed in `/me/media`, as on Instagram. */
  stories: Map<string, { ownerId: string; media: FakeMedia }>;
  delayMs: number;
  limit: number;
  /** Failures the next containers will end in (consumed in order). */
  failNext: { code: number; subcode: number; message: string }[];
  serial: number;
}

/** A fresh 17-digit id with a kind prefix (containers 1790..., media 1791..., comments 1792...). */
export function nextId(pub: PublishingState, prefix: "1790" | "1791" | "1792"): string {
  pub.serial++;
  return `${prefix}${String(pub.serial).padStart(13, "0")}`;
}

/** A container's status now, carousels included (a parent waits for and inherits its children's errors). */
export function containerStatus(
  pub: PublishingState,
  container: FakeContainer,
  now: number,
): ContainerStatus {
  if (container.publishedMediaId) return "PUBLISHED";
  if (now >= container.createdAt + DAY_MS) return "EXPIRED";
  const children = container.children.map((id) => pub.containers.get(id));
  const statuses = children.map((child) => (child ? containerStatus(pub, child, now) : "ERROR"));
  if (now < container.readyAt || statuses.includes("IN_PROGRESS")) return "IN_PROGRESS";
  if (container.failure || statuses.includes("ERROR")) return "ERROR";
  return "FINISHED";
}

/** The free-text `status` that goes with a `status_code`. */
export function statusText(pub: PublishingState, container: FakeContainer, status: ContainerStatus): string {
  switch (status) {
    case "IN_PROGRESS":
      return "In Progress: Media is still being processed.";
    case "FINISHED":
      return "Finished: Media has been uploaded and it is ready to be published.";
    case "PUBLISHED":
      return "Published: Media has been successfully published.";
    case "EXPIRED":
      return "Expired: Media was not published within 24 hours.";
    case "ERROR": {
      const failure = container.failure ?? childFailure(pub, container);
      return `Error: ${failure.message} (${failure.subcode})`;
    }
  }
}

function childFailure(pub: PublishingState, container: FakeContainer) {
  for (const id of container.children) {
    const child = pub.containers.get(id);
    if (child?.failure) return child.failure;
  }
  return { code: -1, subcode: 2207032, message: "Create media fail, please try to re-create media" };
}

const fail = (body: GraphErrorBody) => ({ ok: false as const, error: body });

/** Counts hashtags and @mentions as Instagram's caption limits do. */
function captionProblem(caption: string | undefined): GraphErrorBody | undefined {
  if (caption === undefined) return undefined;
  if ([...caption].length > MAX_CAPTION) {
    return publishingError(
      36004,
      2207010,
      "The caption is too long.",
      `The caption exceeds ${MAX_CAPTION} characters.`,
    );
  }
  if ((caption.match(/#[\p{L}\p{N}_]+/gu) ?? []).length > MAX_HASHTAGS) {
    // Meta's error table has no row for this; code 100 is the fake's choice (see README).
    return graphError(100, `Invalid parameter: the caption has more than ${MAX_HASHTAGS} hashtags.`);
  }
  if ((caption.match(/@[\w.]+/g) ?? []).length > MAX_MENTIONS) {
    return publishingError(100, 2207040, `The caption has more than ${MAX_MENTIONS} @ tags.`);
  }
  return undefined;
}

const UNFETCHABLE = (url: string) =>
  publishingError(
    9004,
    2207052,
    "Only photo or video can be accepted as media type.",
    `The media could not be fetched from this uri: ${url}`,
  );

/** Reads at most `cap + 1` bytes of a body: enough to know whether it is over `cap`. */
async function bodySize(response: Response, cap: number): Promise<number> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel();
    return declared;
  }
  const reader = response.body?.getReader();
  if (!reader) return 0;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return size;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return size;
    }
  }
}

/**
 * Downloads a media URL as Instagram's "cURL" step does: https only, 2xx, JPEG for images (at most
 * 8 MiB), MP4/MOV for videos. Answers the documented error, or undefined when the media is usable.
 */
async function checkMedia(
  ctx: FakeContext,
  url: string,
  kind: "image" | "video",
  origin: string,
): Promise<GraphErrorBody | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return UNFETCHABLE(url);
  }
  if (parsed.protocol !== "https:" && !ctx.state.insecureMediaOrigins.includes(parsed.origin))
    return UNFETCHABLE(url);
  let response: Response;
  try {
    const request = new Request(parsed, { headers: { "user-agent": "facebookexternalhit/1.1" } });
    response =
      parsed.origin === origin && ctx.selfFetch
        ? await ctx.selfFetch(request)
        : await ctx.state.outboundFetch(request);
  } catch {
    return UNFETCHABLE(url);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return UNFETCHABLE(url);
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (kind === "image") {
    if (type !== "image/jpeg") {
      await response.body?.cancel();
      return publishingError(
        36001,
        2207005,
        "The image format is not supported.",
        "Only JPEG images can be published.",
      );
    }
    if ((await bodySize(response, MAX_IMAGE_BYTES)) > MAX_IMAGE_BYTES) {
      return publishingError(
        36000,
        2207004,
        "The image size is too large.",
        "The image is too large to download. It should be less than 8 MiB.",
      );
    }
    return undefined;
  }
  await response.body?.cancel();
  if (type !== "video/mp4" && type !== "video/quicktime") {
    return publishingError(
      352,
      2207026,
      "The video format is not supported. Please check spec for supported format.",
    );
  }
  return undefined;
}

/** Validates `POST /{ig-user-id}/media` and creates the container (or answers Graph's error). */
export async function createContainer(
  ctx: FakeContext,
  user: FakeUser,
  params: Record<string, string>,
  origin: string,
): Promise<{ ok: true; container: FakeContainer } | { ok: false; error: GraphErrorBody }> {
  const pub = ctx.state.publishing;
  const now = ctx.state.clock.now();
  const raw = params.media_type;
  const isCarouselItem = params.is_carousel_item === "true";
  const types: ContainerType[] = ["IMAGE", "VIDEO", "REELS", "STORIES", "CAROUSEL"];
  const mediaType = raw === undefined || raw === "" ? "IMAGE" : types.find((t) => t === raw);
  if (!mediaType) {
    return fail(
      publishingError(100, 2207023, `The media type ${raw} is not one of the expected media types.`),
    );
  }
  const caption = params.caption;
  if (caption !== undefined && !isCarouselItem) {
    const problem = captionProblem(caption);
    if (problem) return fail(problem);
  }
  const container: FakeContainer = {
    id: nextId(pub, "1790"),
    ownerId: user.id,
    mediaType,
    isCarouselItem,
    children: [],
    createdAt: now,
    readyAt: now + pub.delayMs,
    ...(caption !== undefined && !isCarouselItem ? { caption } : {}),
  };

  if (mediaType === "CAROUSEL") {
    const children = (params.children ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    if (children.length < 2 || children.length > 10) {
      return fail(
        publishingError(
          100,
          2207028,
          "The carousel must have between 2 and 10 items.",
          `Carousels need 2 to 10 items; got ${children.length}.`,
        ),
      );
    }
    for (const id of children) {
      const child = pub.containers.get(id);
      if (!child || child.ownerId !== user.id || !child.isCarouselItem) {
        return fail(
          graphError(
            100,
            `Invalid parameter: children contains ${id}, which is not a carousel item container of this account.`,
          ),
        );
      }
    }
    container.children = children;
    container.readyAt = now;
  } else {
    const kind: "image" | "video" =
      mediaType === "IMAGE" ? "image" : mediaType === "STORIES" && !params.video_url ? "image" : "video";
    const url = kind === "image" ? params.image_url : params.video_url;
    if (!url) return fail(graphError(100, `(#100) The parameter ${kind}_url is required.`));
    if (kind === "image") container.imageUrl = url;
    else container.videoUrl = url;
    const problem = await checkMedia(ctx, url, kind, origin);
    // Images are checked while the call waits; videos are processed later, so theirs end in ERROR.
    if (problem && kind === "image") return fail(problem);
    if (problem) {
      container.failure = {
        code: problem.error.code,
        subcode: problem.error.error_subcode ?? 2207053,
        message: problem.error.message,
      };
    }
  }
  const injected = pub.failNext.shift();
  if (injected && !container.failure) container.failure = injected;
  pub.containers.set(container.id, container);
  return { ok: true, container };
}

/** Posts published by `user` within the moving 24 h before `now` (optionally not before `since`). */
export function quotaUsage(pub: PublishingState, user: FakeUser, now: number, sinceMs?: number): number {
  const from = Math.max(now - DAY_MS, sinceMs ?? 0);
  return (pub.published.get(user.id) ?? []).filter((at) => at > from && at <= now).length;
}

/** `POST /{ig-user-id}/media_publish`: turns a FINISHED container into a media item. */
export function publishContainer(
  ctx: FakeContext,
  user: FakeUser,
  creationId: string | undefined,
): { ok: true; mediaId: string } | { ok: false; error: GraphErrorBody } {
  const pub = ctx.state.publishing;
  const now = ctx.state.clock.now();
  if (!creationId) return fail(graphError(100, "(#100) The parameter creation_id is required."));
  const container = pub.containers.get(creationId);
  if (!container || container.ownerId !== user.id) {
    return fail(
      publishingError(
        24,
        2207008,
        `The media builder with creation id = ${creationId} does not exist or has been expired.`,
      ),
    );
  }
  if (container.isCarouselItem || container.mediaType === "VIDEO") {
    return fail(
      publishingError(
        100,
        2207089,
        "Media created with media_type=VIDEO is a carousel item and cannot be published as a standalone post. To publish a standalone video, use media_type=REELS instead.",
      ),
    );
  }
  const status = containerStatus(pub, container, now);
  if (status === "IN_PROGRESS") {
    return fail(
      publishingError(9007, 2207027, "The media is not ready for publishing, please wait for a moment"),
    );
  }
  if (status === "EXPIRED") {
    return fail(
      publishingError(
        -2,
        2207020,
        "The media you are trying to access has expired. Please try to upload again.",
      ),
    );
  }
  if (status === "ERROR") {
    const failure = container.failure ?? childFailure(pub, container);
    return fail(publishingError(failure.code, failure.subcode, failure.message));
  }
  if (status === "PUBLISHED") {
    // Not in Meta's table: the fake refuses a second publish so a retried call never double-posts.
    return fail(
      graphError(100, `Invalid parameter: the container ${creationId} has already been published.`),
    );
  }
  if (quotaUsage(pub, user, now) >= pub.limit) {
    return fail(
      publishingError(
        9,
        2207042,
        "Application request limit reached",
        "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
      ),
    );
  }
  const id = nextId(pub, "1791");
  const item: FakeMedia = {
    id,
    mediaType: "IMAGE",
    timestamp: instagramTimestamp(now),
    shortcode: `F${pub.serial.toString(36)}${user.id.slice(-3)}`,
    copyrighted: false,
    likeCount: 0,
    commentsCount: 0,
    productType: "FEED",
    ...(container.caption === undefined ? {} : { caption: container.caption }),
  };
  if (container.mediaType === "REELS") {
    item.mediaType = "VIDEO";
    item.productType = "REELS";
  } else if (container.mediaType === "CAROUSEL") {
    item.mediaType = "CAROUSEL_ALBUM";
    item.children = container.children.map((childId, i) => ({
      id: `${id}${i}`,
      mediaType: pub.containers.get(childId)?.mediaType === "VIDEO" ? "VIDEO" : "IMAGE",
    }));
  } else if (container.mediaType === "STORIES") {
    item.mediaType = container.videoUrl ? "VIDEO" : "IMAGE";
    item.productType = "STORY";
  }
  container.publishedMediaId = id;
  pub.published.set(user.id, [...(pub.published.get(user.id) ?? []), now]);
  if (item.productType === "STORY") pub.stories.set(id, { ownerId: user.id, media: item });
  else user.media.unshift(item);
  return { ok: true, mediaId: id };
}
