import type { FakeContext } from "./context.ts";
import type { FieldSelection } from "./fields.ts";
import { cdnFor } from "./graph-response.ts";
import { mediaView } from "./media-view.ts";
import type { FakeUser } from "./types.ts";

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

/** Opaque cursor for a media item (base64url of its id, like Graph's opaque strings). */
export function encodeCursor(mediaId: string): string {
  return btoa(`media:${mediaId}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

function decodeCursor(cursor: string): string | undefined {
  try {
    const padded = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const text = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
    return text.startsWith("media:") ? text.slice(6) : undefined;
  } catch {
    return undefined;
  }
}

function parseLimit(raw: string | null): number | undefined {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) return undefined;
  return Math.min(Number(raw), MAX_LIMIT);
}

/**
 * One page of `/me/media` with Graph's `paging`: `cursors.before/after`, and absolute `next`/`previous`
 * URLs on the request's own host. Like Graph, those URLs repeat `access_token` when it came in the query.
 */
export function mediaPage(
  ctx: FakeContext,
  request: Request,
  user: FakeUser,
  fields: FieldSelection[],
  queryToken: string | undefined,
): { ok: true; body: unknown } | { ok: false; message: string } {
  const url = new URL(request.url);
  const limit = parseLimit(url.searchParams.get("limit"));
  if (limit === undefined)
    return { ok: false, message: "Invalid parameter: limit must be a positive integer" };
  const after = url.searchParams.get("after");
  const before = url.searchParams.get("before");
  const items = user.media;
  let start = 0;
  let end = Math.min(limit, items.length);
  const cursor = after ?? before;
  if (cursor !== null) {
    const id = decodeCursor(cursor);
    const index = items.findIndex((m) => m.id === id);
    if (index < 0) return { ok: false, message: "Invalid parameter: the cursor is not valid" };
    if (after !== null) {
      start = index + 1;
      end = Math.min(start + limit, items.length);
    } else {
      end = index;
      start = Math.max(0, end - limit);
    }
  }
  const slice = items.slice(start, end);
  const cdn = cdnFor(ctx, url.origin);
  const data = slice.map((m) => mediaView(m, user, fields, url.origin, cdn));
  const first = slice[0];
  const last = slice[slice.length - 1];
  if (!first || !last) return { ok: true, body: { data } };

  const link = (cursorName: "after" | "before", cursor: string) => {
    const next = new URL(url.pathname, url.origin);
    if (queryToken) next.searchParams.set("access_token", queryToken);
    next.searchParams.set("fields", url.searchParams.get("fields") ?? "id");
    next.searchParams.set("limit", String(limit));
    next.searchParams.set(cursorName, cursor);
    return next.toString();
  };
  const paging: Record<string, unknown> = {
    cursors: { before: encodeCursor(first.id), after: encodeCursor(last.id) },
  };
  if (end < items.length) paging.next = link("after", encodeCursor(last.id));
  if (start > 0) paging.previous = link("before", encodeCursor(first.id));
  return { ok: true, body: { data, paging } };
}
