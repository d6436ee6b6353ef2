import { Hono } from "hono";
import type { FakeContext } from "../context.ts";
import { oauthError } from "../graph-errors.ts";
import { findUser } from "../state.ts";
import type { TokenRecord } from "../tokens.ts";

const REQUIRED = ["client_id", "client_secret", "grant_type", "redirect_uri", "code"] as const;

async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded") && !type.includes("multipart/form-data")) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of await request.formData()) if (typeof value === "string") out[key] = value;
  return out;
}

/**
 * The success body, written by hand in the flat shape so `user_id` stays a bare 17-digit number
 * (JSON.parse rounds it: the trap clients must survive).
 */
function successBody(shape: "flat" | "data", record: TokenRecord): string {
  if (shape === "data") {
    return JSON.stringify({
      data: [{ access_token: record.token, user_id: record.userId, permissions: record.scopes.join(",") }],
    });
  }
  if (!/^\d+$/.test(record.userId)) throw new TypeError("user ids must be digits");
  return `{"access_token":${JSON.stringify(record.token)},"user_id":${record.userId},"permissions":${JSON.stringify(record.scopes)}}`;
}

/** `POST /oauth/access_token`: trades a single-use, one-hour code for a short-lived token. */
export function codeExchangeRoutes(ctx: FakeContext): Hono {
  const app = new Hono();
  const { state } = ctx;

  app.post("/oauth/access_token", async (c) => {
    const fail = (message: string) => c.json(oauthError(message), 400);
    const form = await readForm(c.req.raw);
    const missing = REQUIRED.find((name) => !form[name]);
    if (missing) return fail(`Missing required parameter: ${missing}`);
    if (form.client_id !== state.clientId) return fail("Invalid platform app");
    if (form.client_secret !== state.clientSecret) return fail("Error validating client secret.");
    if (form.grant_type !== "authorization_code") return fail(`Unsupported grant_type: ${form.grant_type}`);
    const code = state.codes.get(form.code ?? "");
    if (!code || code.used || code.clientId !== form.client_id) {
      return fail("Matching code was not found or was already used");
    }
    if (state.clock.now() >= code.expiresAt) return fail("This authorization code has expired.");
    if (code.redirectUri !== form.redirect_uri) {
      return fail(
        "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
      );
    }
    if (!findUser(state, code.userId)) return fail("Matching code was not found or was already used");
    code.used = true;
    const record = ctx.tokens.issue("short", code.userId, code.scopes);
    return c.body(successBody(state.codeExchangeShape, record), 200, {
      "content-type": "application/json; charset=UTF-8",
    });
  });

  return app;
}
