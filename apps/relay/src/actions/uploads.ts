import type { PublishMedia, PublishRequest } from "@instagram-connect/types";
import { randomToken } from "../crypto/base64url.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";

/**
 * Media bytes an app uploads for publishing (R2 binding `MEDIA`, keys `uploads/<uploadId>`).
 * Instagram fetches media from a public URL itself, so an upload is served at
 * `<relay>/v1/uploads/<uploadId>`: the id is 128 random bits (unguessable), the object is served
 * only while young (`UPLOAD_MAX_AGE_MS`, the container lifetime) and deleted when its job ends.
 */

/** Accepted upload types and their size limits (Instagram: JPEG <= 8 MiB; reels <= 300 MB, capped by the Worker's body limit). */
export const UPLOAD_TYPES: Readonly<Record<string, { kind: "image" | "video"; maxBytes: number }>> = {
  "image/jpeg": { kind: "image", maxBytes: 8 * 1024 * 1024 },
  "video/mp4": { kind: "video", maxBytes: 100 * 1024 * 1024 },
  "video/quicktime": { kind: "video", maxBytes: 100 * 1024 * 1024 },
};

/** An upload is served for at most a day: Instagram's containers expire after 24 h anyway. */
export const UPLOAD_MAX_AGE_MS = 24 * 3600 * 1000;

const UPLOAD_ID = /^upl_[A-Za-z0-9_-]{22}$/;

/** The R2 key of an upload. */
export function uploadKey(uploadId: string): string {
  return `uploads/${uploadId}`;
}

/** Stores an upload's bytes (the stream must have a known length) for `connectionId`. */
export async function storeUpload(
  bucket: R2Bucket,
  connectionId: string,
  contentType: string,
  body: ReadableStream,
): Promise<{ uploadId: string; kind: "image" | "video"; expiresAt: string }> {
  const uploadId = `upl_${randomToken(16)}`;
  const createdAt = now();
  await bucket.put(uploadKey(uploadId), body, {
    httpMetadata: { contentType },
    customMetadata: { connectionId, createdAt: String(createdAt) },
  });
  return {
    uploadId,
    kind: UPLOAD_TYPES[contentType]?.kind ?? "image",
    expiresAt: new Date(createdAt + UPLOAD_MAX_AGE_MS).toISOString(),
  };
}

/**
 * Checks that every `uploadId` of a publish belongs to the connection and is still young
 * (`media_invalid` otherwise) and fills in each upload's kind from its content type.
 */
export async function resolveUploads(
  bucket: R2Bucket,
  connectionId: string,
  request: PublishRequest,
): Promise<Result<PublishRequest>> {
  const resolve = async (item: PublishMedia): Promise<PublishMedia | null> => {
    if (item.uploadId === undefined) return item;
    const head = UPLOAD_ID.test(item.uploadId) ? await bucket.head(uploadKey(item.uploadId)) : null;
    if (!head || head.customMetadata?.connectionId !== connectionId || !young(head)) return null;
    return {
      ...item,
      kind: item.kind ?? UPLOAD_TYPES[head.httpMetadata?.contentType ?? ""]?.kind ?? "image",
    };
  };
  const media = request.media ? await resolve(request.media) : undefined;
  const items = request.items ? await Promise.all(request.items.map(resolve)) : undefined;
  if (media === null || items?.includes(null))
    return fail({ code: "media_invalid", reason: "upload:unknown_or_expired" });
  return ok({
    ...request,
    ...(media ? { media } : {}),
    ...(items ? { items: items.filter((item): item is PublishMedia => item !== null) } : {}),
  });
}

/** Every media of a publish (the single one or the carousel's items). */
export function mediaOf(request: PublishRequest): PublishMedia[] {
  return request.media ? [request.media] : (request.items ?? []);
}

/** The upload's object for Instagram to fetch, or null (unknown, expired, malformed id). */
export async function readUpload(bucket: R2Bucket, uploadId: string): Promise<R2ObjectBody | null> {
  if (!UPLOAD_ID.test(uploadId)) return null;
  const object = await bucket.get(uploadKey(uploadId));
  return object && young(object) ? object : null;
}

/** Deletes a job's uploads once it ended (published or failed). */
export async function deleteUploads(bucket: R2Bucket, media: PublishMedia[]): Promise<void> {
  const keys = media.flatMap((item) => (item.uploadId ? [uploadKey(item.uploadId)] : []));
  if (keys.length > 0) await bucket.delete(keys);
}

/** The URL Instagram fetches: the media's own URL, or the relay's URL of its upload. */
export function mediaUrl(media: PublishMedia, relayOrigin: string): string {
  return media.uploadId ? `${relayOrigin}/v1/uploads/${media.uploadId}` : (media.url ?? "");
}

function young(object: R2Object): boolean {
  const createdAt = Number(object.customMetadata?.createdAt ?? Number.NaN);
  return Number.isFinite(createdAt) && now() - createdAt < UPLOAD_MAX_AGE_MS;
}
