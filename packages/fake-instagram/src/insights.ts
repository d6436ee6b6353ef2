import { type GraphErrorBody, graphError } from "./graph-errors.ts";
import { instagramTimestamp } from "./seed.ts";
import type { FakeMedia, FakeUser } from "./types.ts";

/** An account metric: its periods, and which `metric_type` it needs (undefined = either). */
interface AccountMetric {
  periods: string[];
  metricType?: "total_value" | "time_series";
  title: string;
}

/**
 * Account metrics valid for Instagram Login on v22+ (Meta's ig-user insights reference; `follower_count`
 * and `online_followers` from its limits section). `impressions` was removed in v22 and in every
 * version from 2025-04-21 (Graph API changelog v22.0), so it is not here.
 */
export const ACCOUNT_METRICS: Record<string, AccountMetric> = {
  reach: { periods: ["day"], title: "Accounts reached" },
  views: { periods: ["day"], metricType: "total_value", title: "Views" },
  accounts_engaged: { periods: ["day"], metricType: "total_value", title: "Accounts engaged" },
  total_interactions: { periods: ["day"], metricType: "total_value", title: "Content interactions" },
  likes: { periods: ["day"], metricType: "total_value", title: "Likes" },
  comments: { periods: ["day"], metricType: "total_value", title: "Comments" },
  saves: { periods: ["day"], metricType: "total_value", title: "Saves" },
  shares: { periods: ["day"], metricType: "total_value", title: "Shares" },
  replies: { periods: ["day"], metricType: "total_value", title: "Replies" },
  reposts: { periods: ["day"], metricType: "total_value", title: "Reposts" },
  profile_links_taps: { periods: ["day"], metricType: "total_value", title: "Profile link taps" },
  follows_and_unfollows: { periods: ["day"], metricType: "total_value", title: "Follows and unfollows" },
  follower_demographics: { periods: ["lifetime"], metricType: "total_value", title: "Follower demographics" },
  engaged_audience_demographics: {
    periods: ["lifetime"],
    metricType: "total_value",
    title: "Engaged audience demographics",
  },
  follower_count: { periods: ["day"], metricType: "time_series", title: "Follower count" },
  online_followers: { periods: ["lifetime"], metricType: "time_series", title: "Online followers" },
  profile_views: { periods: ["day"], metricType: "total_value", title: "Profile views" },
};

/** Media metrics by `media_product_type` (Meta's media insights reference, v22+). */
export const MEDIA_METRICS: Record<"FEED" | "REELS" | "STORY", string[]> = {
  FEED: [
    "reach",
    "views",
    "shares",
    "total_interactions",
    "reposts",
    "likes",
    "comments",
    "saved",
    "follows",
    "profile_visits",
    "profile_activity",
  ],
  REELS: [
    "reach",
    "views",
    "shares",
    "total_interactions",
    "reposts",
    "likes",
    "comments",
    "saved",
    "ig_reels_avg_watch_time",
    "ig_reels_video_view_total_time",
    "reels_skip_rate",
    "crossposted_views",
  ],
  STORY: [
    "reach",
    "views",
    "shares",
    "total_interactions",
    "reposts",
    "follows",
    "profile_visits",
    "profile_activity",
    "replies",
    "navigation",
    "link_clicks",
  ],
};

const MAX_RANGE_S = 30 * 86_400;
/** When the v22 metric removals reached every Graph version (Graph API changelog v22.0). */
const V22_EVERYWHERE = Date.UTC(2025, 3, 21);
const LEGACY_MEDIA = ["impressions", "plays", "clips_replays_count", "ig_reels_aggregated_all_plays_count"];

/**
 * Whether the pre-v22 metrics (`impressions`, `plays`, ...) still answer: only below v22.0 and only
 * before 2025-04-21 on the fake clock. `version` is the path's `vNN.N`, or undefined when unversioned.
 */
export function legacyMetrics(version: string | undefined, nowMs: number): boolean {
  const major = version ? Number.parseInt(version.slice(1), 10) : Number.POSITIVE_INFINITY;
  return major < 22 && nowMs < V22_EVERYWHERE;
}

/** A stable pseudo-random count for (seed, metric), so repeated reads agree. */
function valueFor(seed: string, metric: string, day = 0): number {
  let h = 7;
  for (const ch of `${seed}:${metric}:${day}`) h = (h * 31 + ch.charCodeAt(0)) % 100_003;
  return h % 1000;
}

type Result = { ok: true; body: unknown } | { ok: false; error: GraphErrorBody };

function metricList(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
}

function unknownMetric(index: number, allowed: string[]): GraphErrorBody {
  return graphError(
    100,
    `(#100) metric[${index}] must be one of the following values: ${allowed.join(", ")}`,
  );
}

/** `GET /{ig-user-id}/insights`: validates like Graph, answers deterministic numbers. */
export function accountInsights(
  user: FakeUser,
  params: Record<string, string>,
  nowMs: number,
  legacy = false,
): Result {
  const metrics = metricList(params.metric);
  if (metrics.length === 0)
    return { ok: false, error: graphError(100, "(#100) The parameter metric is required") };
  const table: Record<string, AccountMetric> = legacy
    ? { ...ACCOUNT_METRICS, impressions: { periods: ["day"], title: "Impressions" } }
    : ACCOUNT_METRICS;
  const allowed = Object.keys(table);
  for (const [i, name] of metrics.entries()) {
    if (!table[name]) return { ok: false, error: unknownMetric(i, allowed) };
  }
  const period = params.period;
  if (!period) return { ok: false, error: graphError(100, "(#100) The parameter period is required") };
  const nowS = Math.floor(nowMs / 1000);
  const until = params.until ? Number(params.until) : nowS;
  const since = params.since ? Number(params.since) : until - 86_400;
  if (!Number.isFinite(since) || !Number.isFinite(until) || since > until) {
    return {
      ok: false,
      error: graphError(100, "(#100) since and until must be Unix timestamps, since before until"),
    };
  }
  if (until - since > MAX_RANGE_S) {
    return {
      ok: false,
      error: graphError(100, "(#100) There cannot be more than 30 days (2592000 s) between since and until"),
    };
  }
  const data: unknown[] = [];
  for (const name of metrics) {
    const metric = table[name] as AccountMetric;
    if (!metric.periods.includes(period)) {
      return {
        ok: false,
        error: graphError(
          100,
          `(#100) The following metrics (${name}) should be specified with parameter period=${metric.periods.join("|")}`,
        ),
      };
    }
    const type = params.metric_type ?? (metric.metricType === "time_series" ? "time_series" : undefined);
    if (metric.metricType && type !== metric.metricType) {
      return {
        ok: false,
        error: graphError(
          100,
          `(#100) The following metrics (${name}) should be specified with parameter metric_type=${metric.metricType}`,
        ),
      };
    }
    const base = { name, period, title: metric.title, description: `${metric.title} (fake).` };
    const id = `${user.userId}/insights/${name}/${period}`;
    if (type === "total_value") {
      data.push({ ...base, total_value: { value: valueFor(user.userId, name) }, id });
    } else {
      const days = Math.max(1, Math.round((until - since) / 86_400));
      const values = Array.from({ length: days }, (_, i) => ({
        value: valueFor(user.userId, name, i),
        end_time: instagramTimestamp((since + (i + 1) * 86_400) * 1000),
      }));
      data.push({ ...base, values, id });
    }
  }
  return { ok: true, body: { data } };
}

/** `GET /{media-id}/insights`: lifetime metrics valid for the media's product type. */
export function mediaInsights(media: FakeMedia, params: Record<string, string>, legacy = false): Result {
  const metrics = metricList(params.metric);
  if (metrics.length === 0)
    return { ok: false, error: graphError(100, "(#100) The parameter metric is required") };
  const product = media.productType ?? (media.mediaType === "VIDEO" ? "REELS" : "FEED");
  const allowed = legacy ? [...MEDIA_METRICS[product], ...LEGACY_MEDIA] : MEDIA_METRICS[product];
  const data: unknown[] = [];
  for (const [i, name] of metrics.entries()) {
    if (!allowed.includes(name)) return { ok: false, error: unknownMetric(i, allowed) };
    data.push({
      name,
      period: "lifetime",
      values: [{ value: valueFor(media.id, name) }],
      title: name,
      description: `${name} (fake).`,
      id: `${media.id}/insights/${name}/lifetime`,
    });
  }
  return { ok: true, body: { data } };
}
