import type { InsightMetric, InsightsResponse } from "@instagram-connect/types";
import * as z from "zod/mini";
import type { ReadContext } from "../cache/connection-reads.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { logEvent } from "../log.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { readCacheKey } from "../storage/kv-keys.ts";
import { accessAccount } from "./account-access.ts";
import { ACCOUNT_METRIC_RULES, allowedMetrics, MEDIA_METRIC_RULES } from "./insight-metrics.ts";

/** What to read: the account's insights or one media's, with Graph's own parameter names. */
export interface InsightsRequest {
  /** `{ account: true }` or `{ media: "<IG_MEDIA_ID>" }`. */
  target: { account: true } | { media: string };
  metrics: string[];
  /** Graph parameters besides `metric` (period, metric_type, breakdown, timeframe, since, until). */
  params: Record<string, string>;
}

const metricSchema = z.object({
  name: z.string(),
  period: z.optional(z.string()),
  title: z.optional(z.string()),
  total_value: z.optional(z.object({ value: z.number(), breakdowns: z.optional(z.array(z.unknown())) })),
  values: z.optional(z.array(z.object({ value: z.unknown(), end_time: z.optional(z.string()) }))),
});
const insightsSchema = z.object({ data: z.array(metricSchema) });
const cachedSchema = z.object({ metrics: z.array(z.unknown()), cachedAt: z.string() });

/**
 * Account or media insights (`instagram_business_manage_insights`). Metric names must be in the
 * allowlist of the configured Graph version (`invalid_request` otherwise, before Instagram is
 * asked). Answers are cached per connection in KV for `INSIGHTS_CACHE_SECONDS` under the read
 * cache prefix, so a disconnect purges them with the rest.
 */
export async function readInsights(
  ctx: ReadContext,
  request: InsightsRequest,
): Promise<Result<InsightsResponse>> {
  const rules = "account" in request.target ? ACCOUNT_METRIC_RULES : MEDIA_METRIC_RULES;
  const allowed = allowedMetrics(rules, ctx.config.oauth.graphVersion, now());
  const refused = request.metrics.find((metric) => !allowed.includes(metric));
  if (refused !== undefined)
    return fail({ code: "invalid_request", reason: `insights:metric_not_allowed:${refused}` });
  const path =
    "account" in request.target
      ? `${ctx.record.profile.userId}/insights`
      : `${request.target.media}/insights`;
  const query = { ...request.params, metric: request.metrics.join(",") };
  const key = readCacheKey(
    ctx.record.connectionId,
    "insights",
    (await sha256Base64Url(ctx.record.accessToken)).slice(0, 16),
    (await sha256Base64Url(`${path}?${new URLSearchParams(Object.entries(query).sort())}`)).slice(0, 22),
  );
  const cached = cachedSchema.safeParse(await ctx.env.CONNECTIONS.get(key, "json"));
  if (cached.success) return ok(cached.data as InsightsResponse);
  const access = await accessAccount(ctx, "insights");
  if (!access.ok) return access;
  const answer = await access.value.client.act("GET", path, query, access.value.accessToken);
  if (!answer.ok) return answer;
  const parsed = insightsSchema.safeParse(answer.value);
  if (!parsed.success) return fail({ code: "upstream_error", reason: "insights:malformed" });
  const response: InsightsResponse = {
    metrics: parsed.data.data.map(toMetric),
    cachedAt: new Date(now()).toISOString(),
  };
  try {
    await ctx.env.CONNECTIONS.put(key, JSON.stringify(response), {
      expirationTtl: ctx.config.actions.insightsCacheSeconds,
    });
  } catch (error) {
    // A full or failing cache must not fail the read that already succeeded.
    logEvent("warn", "insights.cache_write_failed", {
      error: error instanceof Error ? error.name : "unknown",
    });
  }
  return ok(response);
}

function toMetric(raw: z.infer<typeof metricSchema>): InsightMetric {
  return {
    name: raw.name,
    period: raw.period ?? "lifetime",
    title: raw.title ?? null,
    totalValue: raw.total_value ?? null,
    values: (raw.values ?? []).map((entry) => ({ value: entry.value, endTime: entry.end_time ?? null })),
  };
}
