import type { ApiHealthResponse, SecurityAnomaly, UsageResponse } from "@instagram-connect/types";
import * as z from "zod/mini";

// Monitoring's response shapes (API.md "Monitoring"), checked against the contract below.
const isoTime = z.string().check(z.iso.datetime());
const subject = z.object({ type: z.enum(["api_key", "connection"]), id: z.string() });
const count = z.object({ requests: z.number(), errors: z.number() });

export const usageResponseSchema = z.object({
  subject,
  window: z.enum(["hour", "day"]),
  items: z.array(
    z.object({
      start: isoTime,
      requests: z.number(),
      errors: z.number(),
      bySource: z.object({ api: z.optional(count), widget: z.optional(count) }),
    }),
  ),
  totals: count,
  countries: z.array(z.string()),
});

export const apiHealthSchema = z.object({
  refreshFailures: z.object({
    count: z.number(),
    items: z.array(
      z.object({ connectionId: z.string(), failures: z.number(), reason: z.string(), at: isoTime }),
    ),
  }),
  reauthRequired: z.object({
    count: z.number(),
    items: z.array(z.object({ connectionId: z.string(), reason: z.string(), at: isoTime })),
  }),
  deadLetters: z.object({
    count: z.number(),
    items: z.array(
      z.object({
        connectionId: z.nullable(z.string()),
        keyId: z.nullable(z.string()),
        eventId: z.string(),
        type: z.string(),
        at: isoTime,
      }),
    ),
  }),
  budgets: z.object({
    items: z.array(
      z.object({
        connectionId: z.string(),
        instagramUserId: z.string(),
        remaining: z.number(),
        limit: z.number(),
        windowSeconds: z.number(),
        pausedUntil: z.nullable(isoTime),
      }),
    ),
    nextCursor: z.nullable(z.string()),
  }),
});

export const securityAnomalySchema = z.object({
  kind: z.enum(["rate_jump", "new_country"]),
  subject,
  windowStart: isoTime,
  requests: z.optional(z.number()),
  baselinePerHour: z.optional(z.number()),
  newCountries: z.optional(z.array(z.string())),
  knownCountries: z.optional(z.array(z.string())),
});

// Compile-time drift checks: each line fails to type-check on a mismatch with packages/types.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const MONITORING_CONTRACT_CHECKS: readonly true[] = [
  true satisfies Same<z.output<typeof usageResponseSchema>, UsageResponse>,
  true satisfies Same<z.output<typeof apiHealthSchema>, ApiHealthResponse>,
  true satisfies Same<z.output<typeof securityAnomalySchema>, SecurityAnomaly>,
];
