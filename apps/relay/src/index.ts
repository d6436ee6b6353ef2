import { createApp } from "./app.ts";
import { runRefreshSweep } from "./lifecycle/refresh-sweep.ts";
import { logEvent } from "./log.ts";
import { bindings } from "./runtime.ts";

export { PublishJob } from "./actions/publish-job.ts";
export { AccountClaim } from "./lifecycle/account-claim.ts";
export { ConnectionCoordinator } from "./lifecycle/connection-coordinator.ts";
export { OAuthFlow } from "./oauth/oauth-flow.ts";
export { RateLimiter } from "./rate-limit/rate-limiter.ts";
export { ConnectSession } from "./sessions/connect-session.ts";
export { WebhookOutbox } from "./webhooks/webhook-outbox.ts";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, bindings(env), ctx),
  // Cron (wrangler.jsonc triggers.crons): refresh the long-lived tokens that are due.
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      runRefreshSweep(bindings(env)).then(
        () => undefined,
        (error: unknown) =>
          logEvent("error", "refresh_sweep_failed", {
            name: error instanceof Error ? error.name : "unknown",
          }),
      ),
    );
  },
} satisfies ExportedHandler<Env>;
