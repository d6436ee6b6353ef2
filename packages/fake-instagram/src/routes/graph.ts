import { Hono } from "hono";
import type { FakeContext } from "../context.ts";
import { GRAPH_PREFIXES } from "../endpoints.ts";
import type { FieldSelection } from "../fields.ts";
import { parseFields } from "../fields.ts";
import { isSelf } from "../graph-auth.ts";
import { graphError, tokenError, unsupportedRequest } from "../graph-errors.ts";
import { graphJson } from "../graph-response.ts";
import { mediaPage } from "../media-paging.ts";
import { MEDIA_FIELDS } from "../media-view.ts";
import { PROFILE_FIELDS, profileView } from "../profile-view.ts";
import { requestToken } from "../request-token.ts";
import { BASIC_SCOPE } from "../scopes.ts";
import { findUser } from "../state.ts";
import type { FakeUser } from "../types.ts";

type Authorized =
  | { ok: true; user: FakeUser; token: string; fromQuery: boolean }
  | { ok: false; response: Response };

function authorize(ctx: FakeContext, request: Request): Authorized {
  const { token, fromQuery } = requestToken(request);
  const check = ctx.tokens.check(token);
  const owner = check.record ? findUser(ctx.state, check.record.userId) : undefined;
  if (!check.ok || !owner || !token) {
    return {
      ok: false,
      response: graphJson(ctx, tokenError(check.ok ? "unknown" : check.reason), 400, owner),
    };
  }
  if (!check.record.scopes.includes(BASIC_SCOPE)) {
    const body = graphError(10, `Application does not have permission for this action (${BASIC_SCOPE})`);
    return { ok: false, response: graphJson(ctx, body, 400, owner) };
  }
  return { ok: true, user: owner, token, fromQuery };
}

function checkFields(
  fields: FieldSelection[] | undefined,
  known: Set<string>,
  node: string,
): string | undefined {
  if (!fields) return "Syntax error in the fields parameter";
  const unknown = fields.find((f) => !known.has(f.name));
  return unknown ? `Tried accessing nonexisting field (${unknown.name}) on node type (${node})` : undefined;
}

/** `GET /me` and `GET /me/media` (or `/{ig-user-id}/media`), unversioned and `/v25.0`-style. */
export function graphRoutes(ctx: FakeContext): Hono {
  const app = new Hono();

  for (const prefix of GRAPH_PREFIXES) {
    app.get(`${prefix}/me`, (c) => {
      const auth = authorize(ctx, c.req.raw);
      if (!auth.ok) return auth.response;
      const fields = parseFields(c.req.query("fields") ?? "id");
      const problem = checkFields(fields, PROFILE_FIELDS, "IGUser");
      if (problem || !fields) return graphJson(ctx, graphError(100, problem ?? ""), 400, auth.user);
      const body = profileView(
        auth.user,
        fields.map((f) => f.name),
        new URL(c.req.url).origin,
      );
      return graphJson(ctx, body, 200, auth.user);
    });

    app.get(`${prefix}/:uid{me|[0-9]+}/media`, (c) => {
      const auth = authorize(ctx, c.req.raw);
      if (!auth.ok) return auth.response;
      const uid = c.req.param("uid");
      if (!isSelf(auth.user, uid)) return graphJson(ctx, unsupportedRequest("get", uid), 400, auth.user);
      const fields = parseFields(c.req.query("fields") ?? "id");
      const problem = checkFields(fields, MEDIA_FIELDS, "IGMedia");
      if (problem || !fields) return graphJson(ctx, graphError(100, problem ?? ""), 400, auth.user);
      const page = mediaPage(ctx, c.req.raw, auth.user, fields, auth.fromQuery ? auth.token : undefined);
      if (!page.ok) return graphJson(ctx, graphError(100, page.message), 400, auth.user);
      return graphJson(ctx, page.body, 200, auth.user);
    });
  }

  return app;
}
