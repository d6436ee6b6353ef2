import type { Context } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.ts";

// Hono's csrf: a POST from one of the relay's own pages (Origin or Sec-Fetch-Site same-origin),
// so another site cannot submit the relay's buttons (confirmation page, hosted link) for a visitor.
const relayPagesOnly = csrf();

/**
 * Whether the request passes Hono's csrf check: one of the relay's own pages posted it. Callers
 * answer a refusal with their own typed page, so the check is asked, not run as middleware.
 */
export async function fromRelayPage(c: Context<AppEnv>): Promise<boolean> {
  try {
    await relayPagesOnly(c, async () => {});
    return true;
  } catch (error) {
    if (!(error instanceof HTTPException)) throw error;
    return false;
  }
}
