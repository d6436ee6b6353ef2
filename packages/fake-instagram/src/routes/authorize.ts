import { Hono } from "hono";
import { approveRedirect, denyRedirect, pickUser, validateAuthorize } from "../consent.ts";
import type { FakeContext } from "../context.ts";
import { authorizeErrorPage, authorizePage } from "../pages/authorize-page.ts";

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === "string" ? value : undefined;
}

/** `GET /oauth/authorize` (consent screen) and `POST /oauth/authorize` (the user's decision). */
export function authorizeRoutes(ctx: FakeContext): Hono {
  const app = new Hono();

  app.get("/oauth/authorize", (c) => {
    const check = validateAuthorize(ctx.state, {
      clientId: c.req.query("client_id"),
      redirectUri: c.req.query("redirect_uri"),
      responseType: c.req.query("response_type"),
      scope: c.req.query("scope"),
      state: c.req.query("state"),
    });
    if (!check.ok) return c.html(authorizeErrorPage(check.message), 400);
    return c.html(authorizePage(check.request, ctx.state.users));
  });

  app.post("/oauth/authorize", async (c) => {
    const body = (await c.req.parseBody()) as Record<string, unknown>;
    // Re-validated: the hidden fields come back from the browser and prove nothing.
    const check = validateAuthorize(ctx.state, {
      clientId: field(body, "client_id"),
      redirectUri: field(body, "redirect_uri"),
      responseType: field(body, "response_type"),
      scope: field(body, "scope"),
      state: field(body, "state"),
    });
    if (!check.ok) return c.html(authorizeErrorPage(check.message), 400);
    const { request } = check;
    const decision = field(body, "decision");
    if (decision === "deny") {
      return c.redirect(denyRedirect(request.redirectUri, request.state, ctx.state.denialEchoesState), 302);
    }
    if (decision !== "allow") return c.html(authorizeErrorPage("Missing decision"), 400);
    const user = pickUser(ctx.state, field(body, "user_id"));
    if (!user) return c.html(authorizeErrorPage("Unknown account"), 400);
    return c.redirect(approveRedirect(ctx.state, request, user), 302);
  });

  return app;
}
