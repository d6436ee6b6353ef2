/**
 * Insights metric names the relay passes to Instagram: an allowlist by Graph version, not a
 * passthrough (../shared/instagram-api-actions.md §3). Sources: Meta's ig-user and media
 * insights references and the Graph changelogs v21/v22. A metric removed in a version is
 * refused from that version on, and from its "all versions" date whatever the version.
 */

interface MetricRule {
  /** Removed from this major version on (e.g. 22 for `impressions`). */
  removedIn?: number;
  /** Epoch ms from which it is gone in every version. */
  goneEverywhereAt?: number;
}

const V21_ALL_VERSIONS = Date.UTC(2025, 0, 8);
const V22_ALL_VERSIONS = Date.UTC(2025, 3, 21);
const REMOVED_V22: MetricRule = { removedIn: 22, goneEverywhereAt: V22_ALL_VERSIONS };
const REMOVED_V21: MetricRule = { removedIn: 21, goneEverywhereAt: V21_ALL_VERSIONS };

/** Account metrics (`GET /<IG_ID>/insights`). */
export const ACCOUNT_METRIC_RULES: Readonly<Record<string, MetricRule>> = {
  reach: {},
  views: {},
  accounts_engaged: {},
  total_interactions: {},
  likes: {},
  comments: {},
  saves: {},
  shares: {},
  replies: {},
  reposts: {},
  profile_links_taps: {},
  follows_and_unfollows: {},
  follower_demographics: {},
  engaged_audience_demographics: {},
  follower_count: {},
  online_followers: {},
  profile_views: {},
  impressions: REMOVED_V22,
};

/** Media metrics (`GET /<IG_MEDIA_ID>/insights`), feed, reels and stories together. */
export const MEDIA_METRIC_RULES: Readonly<Record<string, MetricRule>> = {
  reach: {},
  views: {},
  shares: {},
  total_interactions: {},
  reposts: {},
  likes: {},
  comments: {},
  saved: {},
  follows: {},
  profile_visits: {},
  profile_activity: {},
  ig_reels_avg_watch_time: {},
  ig_reels_video_view_total_time: {},
  reels_skip_rate: {},
  crossposted_views: {},
  navigation: {},
  link_clicks: {},
  replies: {},
  facebook_views: {},
  impressions: REMOVED_V22,
  plays: REMOVED_V22,
  clips_replays_count: REMOVED_V22,
  ig_reels_aggregated_all_plays_count: REMOVED_V22,
  video_views: REMOVED_V21,
};

/** The metric names valid for `graphVersion` (`v25.0`) at `nowMs`. */
export function allowedMetrics(
  rules: Readonly<Record<string, MetricRule>>,
  graphVersion: string,
  nowMs: number,
): string[] {
  const major = Number.parseInt(graphVersion.slice(1), 10);
  return Object.entries(rules)
    .filter(([, rule]) => {
      if (rule.removedIn !== undefined && major >= rule.removedIn) return false;
      return rule.goneEverywhereAt === undefined || nowMs < rule.goneEverywhereAt;
    })
    .map(([name]) => name);
}
