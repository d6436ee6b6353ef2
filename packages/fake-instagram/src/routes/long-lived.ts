import { Hono } from "hono";
import type { FakeContext } from "../context.ts";
import { GRAPH_PREFIXES } from "../endpoints.ts";
import { graphError, tokenError } from "../graph-errors.ts";
import { graphJson, tokenOwner } from "../graph-response.ts";
import { requestToken } from "../request-token.ts";
import { BASIC_SCOPE } from "../scopes.ts";
import type { TokenRecord } from "../tokens.ts";
import { MIN_REFRESH_AGE_MS } from "../tokens.ts";

function tokenBody(ctx: FakeContext, record: TokenRecord) {
  const expiresIn = Math.floor((record.expiresAt - ctx.state.clock.now()) / 1000);
  return { access_token: record.token, token_type: "bearer", expires_in: expiresIn };
}

/**
 * `GET /access_token` (short-lived -> long-lived) and `GET /refresh_access_token`.
 * A refresh returns a NEW string with a fresh expiry and the old string stops working: stricter than
 * the real service (which may return the same string), so clients that do not store the answer fail.
 */
export function longLivedRoutes(ctx: FakeContext): Hono {
  const app = new Hono();

  for (const prefix of GRAPH_PREFIXES) {
    app.get(`${prefix}/access_token`, (c) => {
      // Meta documents the token in the query; the header form is accepted like on every Graph call.
      const { token } = requestToken(c.req.raw);
      const owner = tokenOwner(ctx, token);
      const fail = (body: unknown) => graphJson(ctx, body, 400, owner);
      if (c.req.query("grant_type") !== "ig_exchange_token") {
        return fail(graphError(100, "Unsupported grant_type: expected ig_exchange_token"));
      }
      // GET only, so the secret can only travel in the query string, as Meta documents it
      // (developers.facebook.com/docs/instagram-platform/reference/access_token).
      if (c.req.query("client_secret") !== ctx.state.clientSecret) {
        return fail(graphError(101, "Error validating client secret."));
      }
      const check = ctx.tokens.check(token);
      if (!check.ok) return fail(tokenError(check.reason));
      if (check.record.kind !== "short") {
        return fail(graphError(100, "Only a short-lived access token can be exchanged for a long-lived one"));
      }
      const record = ctx.tokens.issue("long", check.record.userId, check.record.scopes);
      return graphJson(ctx, tokenBody(ctx, record), 200, owner);
    });

    app.get(`${prefix}/refresh_access_token`, (c) => {
      const { token } = requestToken(c.req.raw);
      const owner = tokenOwner(ctx, token);
      const fail = (body: unknown) => graphJson(ctx, body, 400, owner);
      if (c.req.query("grant_type") !== "ig_refresh_token") {
        return fail(graphError(100, "Unsupported grant_type: expected ig_refresh_token"));
      }
      const check = ctx.tokens.check(token);
      if (!check.ok) return fail(tokenError(check.reason));
      const { record } = check;
      if (record.kind !== "long")
        return fail(graphError(100, "Only a long-lived access token can be refreshed"));
      if (!record.scopes.includes(BASIC_SCOPE)) {
        return fail(graphError(10, `Application does not have permission for this action (${BASIC_SCOPE})`));
      }
      if (ctx.state.clock.now() - record.issuedAt < MIN_REFRESH_AGE_MS) {
        return fail(graphError(100, "The access token must be at least 24 hours old to be refreshed"));
      }
      return graphJson(ctx, tokenBody(ctx, ctx.tokens.refresh(record)), 200, owner);
    });
  }

  return app;
}
