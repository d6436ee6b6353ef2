import { type Context, Hono } from "hono";
import type { FakeComment } from "../comments.ts";
import {
  addComment,
  COMMENT_FIELDS,
  commentsOf,
  commentView,
  deleteComment,
  findComment,
} from "../comments.ts";
import type { FakeContext } from "../context.ts";
import { GRAPH_PREFIXES } from "../endpoints.ts";
import { type FieldSelection, parseFields } from "../fields.ts";
import { authorizeToken, isSelf } from "../graph-auth.ts";
import { type GraphErrorBody, graphError, unsupportedRequest } from "../graph-errors.ts";
import { cdnFor, graphJson } from "../graph-response.ts";
import { accountInsights, legacyMetrics, mediaInsights } from "../insights.ts";
import { MEDIA_FIELDS, mediaView } from "../media-view.ts";
import { readParams, tokenFrom } from "../params.ts";
import { containerStatus, createContainer, publishContainer, quotaUsage, statusText } from "../publishing.ts";
import { instagramTimestamp } from "../seed.ts";
import type { FakeMedia, FakeUser } from "../types.ts";

const PUBLISH = "instagram_business_content_publish";
const COMMENTS = "instagram_business_manage_comments";
const INSIGHTS = "instagram_business_manage_insights";
const CONTAINER_FIELDS = new Set(["id", "status_code", "status"]);
const DEFAULT_COMMENT_FIELDS = "id,text,timestamp";

/** One request's parsed parameters and authorized account. */
async function begin(ctx: FakeContext, c: Context, scopes: readonly string[]) {
  const params = await readParams(c.req.raw);
  const { token, fromQuery } = tokenFrom(c.req.raw, params);
  return { params, auth: authorizeToken(ctx, token, fromQuery, scopes) };
}

/** A media item (feed or story) owned by `user`. */
function ownMedia(ctx: FakeContext, user: FakeUser, id: string): FakeMedia | undefined {
  const story = ctx.state.publishing.stories.get(id);
  if (story) return story.ownerId === user.id ? story.media : undefined;
  return user.media.find((m) => m.id === id);
}

function checkFields(raw: string, known: Set<string>, node: string): FieldSelection[] | GraphErrorBody {
  const fields = parseFields(raw);
  if (!fields) return graphError(100, "Syntax error in the fields parameter");
  const unknown = fields.find((f) => !known.has(f.name));
  if (unknown)
    return graphError(100, `Tried accessing nonexisting field (${unknown.name}) on node type (${node})`);
  return fields;
}

const cursorOf = (id: string) =>
  btoa(`comment:${id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
function idOfCursor(cursor: string): string | undefined {
  try {
    const padded = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const text = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
    return text.startsWith("comment:") ? text.slice(8) : undefined;
  } catch {
    return undefined;
  }
}

/** Cursor paging like `/me/media` (default 25, at most 50 per page for comments). */
function page(
  url: URL,
  items: FakeComment[],
  view: (c: FakeComment) => unknown,
  queryToken: string | undefined,
): { ok: true; body: unknown } | { ok: false; error: GraphErrorBody } {
  const rawLimit = url.searchParams.get("limit");
  if (rawLimit !== null && !/^[1-9]\d*$/.test(rawLimit)) {
    return { ok: false, error: graphError(100, "Invalid parameter: limit must be a positive integer") };
  }
  const limit = Math.min(rawLimit === null ? 25 : Number(rawLimit), 50);
  const after = url.searchParams.get("after");
  const before = url.searchParams.get("before");
  let start = 0;
  let end = Math.min(limit, items.length);
  const cursor = after ?? before;
  if (cursor !== null) {
    const id = idOfCursor(cursor);
    const index = items.findIndex((c) => c.id === id);
    if (index < 0) return { ok: false, error: graphError(100, "Invalid parameter: the cursor is not valid") };
    if (after !== null) {
      start = index + 1;
      end = Math.min(start + limit, items.length);
    } else {
      end = index;
      start = Math.max(0, end - limit);
    }
  }
  const slice = items.slice(start, end);
  const first = slice[0];
  const last = slice[slice.length - 1];
  if (!first || !last) return { ok: true, body: { data: [] } };
  const link = (name: "after" | "before", value: string) => {
    const next = new URL(url.pathname, url.origin);
    if (queryToken) next.searchParams.set("access_token", queryToken);
    const fields = url.searchParams.get("fields");
    if (fields) next.searchParams.set("fields", fields);
    next.searchParams.set("limit", String(limit));
    next.searchParams.set(name, value);
    return next.toString();
  };
  const paging: Record<string, unknown> = {
    cursors: { before: cursorOf(first.id), after: cursorOf(last.id) },
  };
  if (end < items.length) paging.next = link("after", cursorOf(last.id));
  if (start > 0) paging.previous = link("before", cursorOf(first.id));
  return { ok: true, body: { data: slice.map(view), paging } };
}

/**
 * Publishing (`/{ig-user-id}/media`, `/media_publish`, `/content_publishing_limit`, containers),
 * comments (`/{media-id}/comments`, `/{comment-id}/replies`, hide, delete, `comment_enabled`),
 * insights (`/{ig-user-id}/insights`, `/{media-id}/insights`) and `GET /{id}` for any of these nodes.
 */
export function objectRoutes(ctx: FakeContext): Hono {
  const app = new Hono();
  const { state } = ctx;
  const pub = state.publishing;
  const json = (user: FakeUser, body: unknown, status = 200) => graphJson(ctx, body, status, user);

  for (const p of GRAPH_PREFIXES) {
    app.post(`${p}/:uid{me|[0-9]+}/media`, async (c) => {
      const { params, auth } = await begin(ctx, c, [PUBLISH]);
      if (!auth.ok) return auth.response;
      const uid = c.req.param("uid");
      if (!isSelf(auth.user, uid)) return json(auth.user, unsupportedRequest("post", uid), 400);
      const made = await createContainer(ctx, auth.user, params, new URL(c.req.url).origin);
      if (!made.ok) return json(auth.user, made.error, 400);
      return json(auth.user, { id: made.container.id });
    });

    app.post(`${p}/:uid{me|[0-9]+}/media_publish`, async (c) => {
      const { params, auth } = await begin(ctx, c, [PUBLISH]);
      if (!auth.ok) return auth.response;
      const uid = c.req.param("uid");
      if (!isSelf(auth.user, uid)) return json(auth.user, unsupportedRequest("post", uid), 400);
      const done = publishContainer(ctx, auth.user, params.creation_id);
      if (!done.ok) return json(auth.user, done.error, 400);
      return json(auth.user, { id: done.mediaId });
    });

    app.get(`${p}/:uid{me|[0-9]+}/content_publishing_limit`, async (c) => {
      const { params, auth } = await begin(ctx, c, [PUBLISH]);
      if (!auth.ok) return auth.response;
      const uid = c.req.param("uid");
      if (!isSelf(auth.user, uid)) return json(auth.user, unsupportedRequest("get", uid), 400);
      const fields = checkFields(
        params.fields ?? "quota_usage",
        new Set(["quota_usage", "config"]),
        "ContentPublishingLimit",
      );
      if (!Array.isArray(fields)) return json(auth.user, fields, 400);
      const now = state.clock.now();
      let sinceMs: number | undefined;
      if (params.since !== undefined) {
        sinceMs = Number(params.since) * 1000;
        if (!Number.isFinite(sinceMs) || sinceMs < now - 86_400_000) {
          return json(
            auth.user,
            graphError(100, "(#100) since must be a Unix timestamp within the last 24 hours"),
            400,
          );
        }
      }
      const entry: Record<string, unknown> = {};
      for (const { name } of fields) {
        if (name === "quota_usage") entry.quota_usage = quotaUsage(pub, auth.user, now, sinceMs);
        if (name === "config") entry.config = { quota_total: pub.limit, quota_duration: 86_400 };
      }
      return json(auth.user, { data: [entry] });
    });

    app.get(`${p}/:id{me|[0-9]+}/insights`, async (c) => {
      const { params, auth } = await begin(ctx, c, [INSIGHTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const legacy = legacyMetrics(c.req.param("version"), state.clock.now());
      if (isSelf(auth.user, id)) {
        const result = accountInsights(auth.user, params, state.clock.now(), legacy);
        return result.ok ? json(auth.user, result.body) : json(auth.user, result.error, 400);
      }
      const media = ownMedia(ctx, auth.user, id);
      if (!media) return json(auth.user, unsupportedRequest("get", id), 400);
      const result = mediaInsights(media, params, legacy);
      return result.ok ? json(auth.user, result.body) : json(auth.user, result.error, 400);
    });

    app.get(`${p}/:id{[0-9]+}/comments`, async (c) => {
      const { params, auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const media = ownMedia(ctx, auth.user, id);
      if (!media) return json(auth.user, unsupportedRequest("get", id), 400);
      const fields = checkFields(params.fields ?? DEFAULT_COMMENT_FIELDS, COMMENT_FIELDS, "IGComment");
      if (!Array.isArray(fields)) return json(auth.user, fields, 400);
      const all = commentsOf(state.comments, media);
      const top = all.filter((x) => !x.parentId);
      const { fromQuery, token } = auth;
      const result = page(
        new URL(c.req.url),
        top,
        (x) => commentView(x, fields, media, auth.user, all),
        fromQuery ? token : undefined,
      );
      return result.ok ? json(auth.user, result.body) : json(auth.user, result.error, 400);
    });

    app.post(`${p}/:id{[0-9]+}/comments`, async (c) => {
      const { params, auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const media = ownMedia(ctx, auth.user, id);
      if (!media) return json(auth.user, unsupportedRequest("post", id), 400);
      if (!params.message)
        return json(auth.user, graphError(100, "(#100) The parameter message is required"), 400);
      if (media.commentEnabled === false) {
        return json(
          auth.user,
          graphError(100, "Invalid parameter: comments are disabled on this media."),
          400,
        );
      }
      const comment = addComment(state.comments, pub, media, {
        text: params.message,
        from: { id: auth.user.userId, username: auth.user.username },
        timestamp: instagramTimestamp(state.clock.now()),
      });
      return json(auth.user, { id: comment.id });
    });

    app.get(`${p}/:id{[0-9]+}/replies`, async (c) => {
      const { params, auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const found = findComment(state.comments, [auth.user], id);
      if (!found) return json(auth.user, unsupportedRequest("get", id), 400);
      const fields = checkFields(params.fields ?? DEFAULT_COMMENT_FIELDS, COMMENT_FIELDS, "IGComment");
      if (!Array.isArray(fields)) return json(auth.user, fields, 400);
      const all = commentsOf(state.comments, found.media);
      const replies = all.filter((x) => x.parentId === id).reverse();
      const { fromQuery, token } = auth;
      const result = page(
        new URL(c.req.url),
        replies,
        (x) => commentView(x, fields, found.media, auth.user, all),
        fromQuery ? token : undefined,
      );
      return result.ok ? json(auth.user, result.body) : json(auth.user, result.error, 400);
    });

    app.post(`${p}/:id{[0-9]+}/replies`, async (c) => {
      const { params, auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const found = findComment(state.comments, [auth.user], id);
      if (!found) return json(auth.user, unsupportedRequest("post", id), 400);
      if (!params.message)
        return json(auth.user, graphError(100, "(#100) The parameter message is required"), 400);
      if (found.comment.hidden) {
        return json(auth.user, graphError(100, "Invalid parameter: cannot reply to a hidden comment."), 400);
      }
      const reply = addComment(state.comments, pub, found.media, {
        text: params.message,
        from: { id: auth.user.userId, username: auth.user.username },
        parentId: id,
        timestamp: instagramTimestamp(state.clock.now()),
      });
      return json(auth.user, { id: reply.id });
    });

    app.get(`${p}/:id{[0-9]+}`, async (c) => {
      const { params, auth } = await begin(ctx, c, []);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const user = auth.user;
      const container = pub.containers.get(id);
      if (container) {
        if (container.ownerId !== user.id) return json(user, unsupportedRequest("get", id), 400);
        const fields = checkFields(params.fields ?? "id", CONTAINER_FIELDS, "ShadowIGMediaBuilder");
        if (!Array.isArray(fields)) return json(user, fields, 400);
        const status = containerStatus(pub, container, state.clock.now());
        const out: Record<string, unknown> = {};
        for (const { name } of fields) {
          if (name === "status_code") out.status_code = status;
          if (name === "status") out.status = statusText(pub, container, status);
        }
        out.id = id;
        return json(user, out);
      }
      const media = ownMedia(ctx, user, id);
      if (media) {
        const fields = checkFields(params.fields ?? "id", MEDIA_FIELDS, "IGMedia");
        if (!Array.isArray(fields)) return json(user, fields, 400);
        const origin = new URL(c.req.url).origin;
        return json(user, mediaView(media, user, fields, origin, cdnFor(ctx, origin)));
      }
      const found = findComment(state.comments, [user], id);
      if (found) {
        const scoped = authorizeToken(ctx, auth.token, auth.fromQuery, [COMMENTS]);
        if (!scoped.ok) return scoped.response;
        const fields = checkFields(params.fields ?? DEFAULT_COMMENT_FIELDS, COMMENT_FIELDS, "IGComment");
        if (!Array.isArray(fields)) return json(user, fields, 400);
        const all = commentsOf(state.comments, found.media);
        return json(user, commentView(found.comment, fields, found.media, user, all));
      }
      return json(user, unsupportedRequest("get", id), 400);
    });

    app.post(`${p}/:id{[0-9]+}`, async (c) => {
      const { params, auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const user = auth.user;
      const flag = (value: string | undefined) =>
        value === "true" ? true : value === "false" ? false : undefined;
      const media = ownMedia(ctx, user, id);
      if (media) {
        const enabled = flag(params.comment_enabled);
        if (enabled === undefined) {
          return json(
            user,
            graphError(100, "(#100) The parameter comment_enabled must be true or false"),
            400,
          );
        }
        media.commentEnabled = enabled;
        return json(user, { success: true });
      }
      const found = findComment(state.comments, [user], id);
      if (found) {
        const hide = flag(params.hide);
        if (hide === undefined)
          return json(user, graphError(100, "(#100) The parameter hide must be true or false"), 400);
        found.comment.hidden = hide;
        return json(user, { success: true });
      }
      return json(user, unsupportedRequest("post", id), 400);
    });

    app.delete(`${p}/:id{[0-9]+}`, async (c) => {
      const { auth } = await begin(ctx, c, [COMMENTS]);
      if (!auth.ok) return auth.response;
      const id = c.req.param("id");
      const found = findComment(state.comments, [auth.user], id);
      if (!found) return json(auth.user, unsupportedRequest("delete", id), 400);
      deleteComment(state.comments, found.media, id);
      return json(auth.user, { success: true });
    });
  }

  return app;
}
