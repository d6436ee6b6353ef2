import { BASIC_SCOPE, type InstagramScope } from "@instagram-connect/types";
import { InvalidValue, list } from "./setting-values.ts";

/**
 * The relay's optional features and the Instagram scope each one needs (besides
 * `instagram_business_basic`, which every connection has). A scope is only worth asking a user
 * for when an enabled feature uses it, so the config refuses an `ALLOWED_SCOPES` entry that no
 * enabled feature needs (`FEATURES`, default: all of them).
 */
export const FEATURE_SCOPES = {
  /** Publishing jobs (`POST .../publish`). */
  publishing: "instagram_business_content_publish",
  /** Comments and replies, and Instagram's `comments` webhooks. */
  comments: "instagram_business_manage_comments",
  /** Account and media insights. */
  insights: "instagram_business_manage_insights",
} as const satisfies Record<string, InstagramScope>;

/** One optional feature. */
export type Feature = keyof typeof FEATURE_SCOPES;

const ALL_FEATURES = Object.keys(FEATURE_SCOPES) as Feature[];

/** Parses `FEATURES` (comma list; absent = every feature). */
export function features(value: unknown): Feature[] {
  if (value === undefined || (typeof value === "string" && value.trim() === "")) return [...ALL_FEATURES];
  const names = list(value, true);
  for (const name of names) {
    if (!(ALL_FEATURES as string[]).includes(name))
      throw new InvalidValue(`unknown feature (known: ${ALL_FEATURES.join(", ")})`);
  }
  return [...new Set(names)] as Feature[];
}

/** Throws when an allowed scope is used by no enabled feature (the start-up check). */
export function checkScopesFollowFeatures(
  allowed: readonly InstagramScope[],
  enabled: readonly Feature[],
): void {
  const used = new Set<InstagramScope>([BASIC_SCOPE, ...enabled.map((feature) => FEATURE_SCOPES[feature])]);
  const unused = allowed.filter((scope) => !used.has(scope));
  if (unused.length > 0)
    throw new InvalidValue(`no enabled feature uses ${unused.join(", ")} (see FEATURES)`);
}
