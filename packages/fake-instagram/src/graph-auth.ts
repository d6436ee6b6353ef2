import type { FakeContext } from "./context.ts";
import { permissionError, tokenError } from "./graph-errors.ts";
import { graphJson } from "./graph-response.ts";
import { BASIC_SCOPE } from "./scopes.ts";
import { findUser } from "./state.ts";
import type { FakeUser } from "./types.ts";

/** A request's token resolved to its account, or the Graph error to answer with. */
export type Authorized =
  | { ok: true; user: FakeUser; token: string; fromQuery: boolean }
  | { ok: false; response: Response };

/** Checks `token` and that it carries `instagram_business_basic` plus every scope in `extra`. */
export function authorizeToken(
  ctx: FakeContext,
  token: string | undefined,
  fromQuery: boolean,
  extra: readonly string[] = [],
): Authorized {
  const check = ctx.tokens.check(token);
  const owner = check.record ? findUser(ctx.state, check.record.userId) : undefined;
  if (!check.ok || !owner || !token) {
    return {
      ok: false,
      response: graphJson(ctx, tokenError(check.ok ? "unknown" : check.reason), 400, owner),
    };
  }
  for (const scope of [BASIC_SCOPE, ...extra]) {
    if (!check.record.scopes.includes(scope)) {
      return { ok: false, response: graphJson(ctx, permissionError(scope), 400, owner) };
    }
  }
  return { ok: true, user: owner, token, fromQuery };
}

/** Whether a path id names `user`: `me`, its professional id or its app-scoped id. */
export function isSelf(user: FakeUser, id: string): boolean {
  return id === "me" || id === user.userId || id === user.id;
}
