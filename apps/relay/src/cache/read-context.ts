import { now } from "../clock.ts";
import type { RelayConfig } from "../config.ts";
import { sha256Base64Url } from "../crypto/base64url.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { UpstreamBudget } from "../instagram/upstream-budget.ts";
import { coordinatedStore } from "../lifecycle/connection-coordinator.ts";
import { fail, ok, type Result } from "../result.ts";
import type { ConnectionRecord } from "../storage/connection-record.ts";
import { MEDIA_MAX_AGE_SECONDS, type ReadSettings, readSettings } from "./read-settings.ts";
import { earliestUrlExpiry } from "./url-expiry.ts";

/** What a cached read of one connection needs. */
export interface ReadContext {
  env: Env;
  config: RelayConfig;
  /** The authenticated connection (its token stays sealed unless Instagram must be asked). */
  record: ConnectionRecord;
}

/** A connection ready to be read through the cache. */
export interface PreparedRead {
  settings: ReadSettings;
  budget: UpstreamBudget;
  /** Changes whenever the stored token does (reconnect, refresh), so old cache entries stop matching. */
  generation: string;
  /** Runs `call` with a client that reports to the budget and the decrypted token. */
  withToken<T>(call: (client: InstagramClient, token: string) => Promise<Result<T>>): Promise<Result<T>>;
}

/** Keeps a margin so a URL does not expire between our answer and the browser's image request. */
const URL_EXPIRY_MARGIN_MS = 60_000;

/**
 * Checks the connection can be read (a dead or expired token is `reauth_required` without asking
 * Instagram) and prepares its budget, cache generation and token access.
 */
export async function prepareRead(ctx: ReadContext): Promise<Result<PreparedRead>> {
  const { record } = ctx;
  if (record.status === "reauth_required" || Date.parse(record.tokenExpiresAt) <= now()) {
    return fail({ code: "reauth_required", reason: "token_expired_or_flagged" });
  }
  const settings = readSettings(ctx.env);
  const budget = new UpstreamBudget(ctx.env, settings, record.profile.userId);
  const generation = (await sha256Base64Url(record.accessToken)).slice(0, 16);
  return ok({
    settings,
    budget,
    generation,
    async withToken(call) {
      const token = await coordinatedStore(ctx.env, ctx.config).readAccessToken(record);
      if (!token.ok) return token;
      return call(new InstagramClient(ctx.config, { onResponse: budget.observe }), token.value);
    },
  });
}

/**
 * The latest time a value fetched at `fetchedAt` may be served: a few hours at most, and never
 * past the first expiry among its signed URLs.
 */
export function usableUntil(fetchedAt: number, urls: Iterable<string | null | undefined>): number {
  const cap = fetchedAt + MEDIA_MAX_AGE_SECONDS * 1000;
  const expiry = earliestUrlExpiry(urls);
  return expiry === null ? cap : Math.min(cap, expiry - URL_EXPIRY_MARGIN_MS);
}
