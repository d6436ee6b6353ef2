import { createApp } from "./app.ts";
import { FEED_CRON, runFeedSweep } from "./feeds/feed-sweep.ts";
import { handleRefreshBatch, type RefreshMessage, startRefreshWalk } from "./lifecycle/refresh-queue.ts";
import { logEvent } from "./log.ts";
import { bindings } from "./runtime.ts";

export { PublishJob } from "./actions/publish-job.ts";
export { HealthLedger } from "./health/health-ledger.ts";
export { AccountClaim } from "./lifecycle/account-claim.ts";
export { ConnectionCoordinator } from "./lifecycle/connection-coordinator.ts";
export { OAuthFlow } from "./oauth/oauth-flow.ts";
export { RateLimiter } from "./rate-limit/rate-limiter.ts";
export { ConnectSession } from "./sessions/connect-session.ts";
export { UsageCounter } from "./usage/usage-counter.ts";
export { WebhookOutbox } from "./webhooks/webhook-outbox.ts";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, bindings(env), ctx),
  // Crons (wrangler.jsonc triggers.crons): every 6 h the long-lived tokens that are due go to the
  // refresh queue; every 15 min the public feeds that are due (within each account's upstream budget).
  scheduled(controller, env, ctx) {
    const feeds = controller.cron === FEED_CRON;
    const sweep: Promise<unknown> = feeds ? runFeedSweep(bindings(env)) : startRefreshWalk(bindings(env));
    ctx.waitUntil(
      sweep.then(
        () => undefined,
        (error: unknown) =>
          logEvent("error", feeds ? "feed_sweep_failed" : "refresh_sweep_failed", {
            name: error instanceof Error ? error.name : "unknown",
          }),
      ),
    );
  },
  // The refresh queue and its dead-letter queue (wrangler.jsonc queues.consumers).
  queue: (batch, env) => handleRefreshBatch(batch as MessageBatch<RefreshMessage>, bindings(env)),
} satisfies ExportedHandler<Env>;
