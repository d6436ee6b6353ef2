import { createApp } from "./app.ts";
import { runRefreshSweep } from "./lifecycle/refresh-sweep.ts";
import { logEvent } from "./log.ts";

export { AccountClaim } from "./lifecycle/account-claim.ts";
export { ConnectionCoordinator } from "./lifecycle/connection-coordinator.ts";
export { OAuthFlow } from "./oauth/oauth-flow.ts";
export { RateLimiter } from "./rate-limit/rate-limiter.ts";
export { ConnectSession } from "./sessions/connect-session.ts";
export { WebhookOutbox } from "./webhooks/webhook-outbox.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // Cron (wrangler.jsonc triggers.crons): refresh the long-lived tokens that are due.
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runRefreshSweep(env).then(
        () => undefined,
        (error: unknown) =>
          logEvent("error", "refresh_sweep_failed", {
            name: error instanceof Error ? error.name : "unknown",
          }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
