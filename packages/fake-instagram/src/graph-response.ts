import { signedCdnUrl } from "./cdn-sign.ts";
import type { FakeContext } from "./context.ts";
import type { CdnUrlFor } from "./media-view.ts";
import { findUser } from "./state.ts";
import type { FakeUser } from "./types.ts";
import { usageHeaders } from "./usage-headers.ts";

/** A Graph JSON answer carrying both usage headers (errors use HTTP 400, as Instagram does). */
export function graphJson(
  ctx: FakeContext,
  body: unknown,
  status: number,
  user: FakeUser | undefined,
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...usageHeaders(ctx.state, user), "content-type": "application/json; charset=UTF-8" },
  });
}

/** The owner of `token` when it is one the fake issued (valid or not), for usage headers. */
export function tokenOwner(ctx: FakeContext, token: string | undefined): FakeUser | undefined {
  const record = ctx.tokens.check(token).record;
  return record ? findUser(ctx.state, record.userId) : undefined;
}

/** Signed CDN URLs on `origin`, expiring three days from the fake clock's now. */
export function cdnFor(ctx: FakeContext, origin: string): CdnUrlFor {
  const now = ctx.state.clock.now();
  const options = { key: ctx.state.clientSecret, format: ctx.state.cdnFormat };
  return (name) => signedCdnUrl(origin, name, now, options);
}
