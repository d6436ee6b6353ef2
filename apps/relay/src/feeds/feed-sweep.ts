import { relayConfig } from "../config/relay-config.ts";
import { logEvent } from "../log.ts";
import { unwrap } from "../result.ts";
import { now } from "../runtime.ts";
import { getSnapshot, listFeeds } from "../storage/feed-store.ts";
import { isDue, refreshFeed } from "./refresh-feed.ts";

/** What one feed sweep did. */
export interface FeedSweepReport {
  /** Feeds looked at. */
  seen: number;
  /** Feeds that were due and refreshed (successfully or keeping their last good copy). */
  refreshed: number;
  /** Refreshes that failed without a last good copy to keep, or threw (logged). */
  failed: number;
}

/** The feed sweep's cron expression in wrangler.jsonc (the other one runs the token refresh). */
export const FEED_CRON = "*/15 * * * *";

// Feeds refreshed at once: Workers allow six open upstream connections per request.
const CONCURRENCY = 4;

/**
 * The scheduled feed refresh (every 15 minutes, wrangler.jsonc): refreshes each feed whose
 * snapshot is older than `FEED_REFRESH_SECONDS` (or whose proxied URLs near their expiry).
 * Upstream reads go through the cached, budget-aware media read: feeds of one account share a
 * read, and an account whose budget is spent or paused keeps its last good feed until the next
 * run. Safe to run twice: a refreshed feed is no longer due.
 * @example
 * ctx.waitUntil(runFeedSweep(env));
 */
export async function runFeedSweep(env: Env, options: { maxFeeds?: number } = {}): Promise<FeedSweepReport> {
  const config = relayConfig(env);
  const settings = unwrap(config.feeds);
  const maxFeeds = options.maxFeeds ?? 2000;
  const report: FeedSweepReport = { seen: 0, refreshed: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await listFeeds(env.CONNECTIONS, { limit: 100, cursor });
    for (let i = 0; i < page.items.length; i += CONCURRENCY) {
      await Promise.all(
        page.items.slice(i, i + CONCURRENCY).map(async (feed) => {
          report.seen++;
          try {
            if (!isDue(await getSnapshot(env.CONNECTIONS, feed.feedId), settings.refreshSeconds, now()))
              return;
            const result = await refreshFeed(env, config, feed);
            if (result.ok) report.refreshed++;
            else report.failed++;
          } catch (error) {
            report.failed++;
            logEvent("error", "feed_sweep.refresh_threw", {
              feedId: feed.feedId,
              name: error instanceof Error ? error.name : "unknown",
            });
          }
        }),
      );
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && report.seen < maxFeeds);
  logEvent("info", "feed_sweep", { ...report });
  return report;
}
