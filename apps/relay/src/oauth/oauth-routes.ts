import { ROUTES } from "@instagram-connect/types";
import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { widgetCors } from "../http/cors.ts";
import { clientIpKey, rateLimit } from "../rate-limit/index.ts";
import { attemptRoute } from "./attempt-route.ts";
import { callbackRoute } from "./callback-route.ts";
import { htmlRefusals } from "./error-page.ts";
import { startRoute } from "./start-route.ts";

// Start and callback share one per-IP budget that fails closed: they are the auth surface (S18, S29).
// Leased (rate-limit/lease.ts): a busy IP (an office NAT, a burst of starts) spends units leased to
// the isolate instead of one limiter round trip per start, which is most of what a start costs
// now that it stores nothing (issue 17 goal 3). Every unit is still granted by the limiter, so
// refusals stay exact; the trade is the lease's bounded overshoot, at most
// ceil(limit * LEASE_TTL_MS / window) = 1 extra per window at the default 20 / 60 s.
const oauthLimit = rateLimit<AppEnv>({ family: "oauth", key: clientIpKey, lease: true });

/**
 * The consent flow family: `start` (redirect to Instagram), `callback` (Instagram's redirect
 * back), and `attempts` (the widget gets an attempt id issued, then polls the result when
 * postMessage cannot arrive, S13). Only `attempts` is called by the site's page, so only it gets
 * CORS; its own per-IP budget (`attempt`, a widget polls for minutes) sits in attempt-route.ts,
 * after the MAC check (S35).
 */
export const oauthRoutes = new Hono<AppEnv>()
  .use(ROUTES.oauthAttempts, widgetCors)
  .use(ROUTES.oauthAttempt, widgetCors)
  // The popup shows (and hands back) a refusal of its start as a page, not raw JSON.
  .use(ROUTES.oauthStart, htmlRefusals, oauthLimit)
  .use(ROUTES.oauthCallback, oauthLimit)
  .route("/", startRoute)
  .route("/", callbackRoute)
  .route("/", attemptRoute);
