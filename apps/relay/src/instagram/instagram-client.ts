import {
  type AccountType,
  type InstagramProfile,
  type InstagramScope,
  isInstagramScope,
} from "@instagram-connect/types";
import type { RelayConfig } from "../config.ts";
import { fail, ok, type Result } from "../http/failure.ts";
import { classifyUpstreamError, type UpstreamStep } from "./graph-error.ts";
import { parseJsonKeepingIds } from "./raw-json.ts";
import { upstreamFetch } from "./upstream-fetch.ts";
import {
  codeExchangeSchema,
  longLivedTokenSchema,
  PROFILE_FIELDS,
  profileSchema,
} from "./upstream-schemas.ts";

/** A short-lived token from the code exchange and the scopes Instagram says it granted. */
export interface ShortLivedGrant {
  accessToken: string;
  /** null when Instagram did not list permissions. */
  grantedScopes: InstagramScope[] | null;
}

/** A long-lived token and its lifetime in seconds. */
export interface LongLivedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/**
 * Instagram API with Instagram Login, server side. Every call goes through `upstreamFetch`
 * with a timeout, validates the JSON it gets back and returns expected failures as values.
 *
 * @example
 * const grant = await new InstagramClient(config).exchangeCode(code);
 */
export class InstagramClient {
  constructor(private readonly config: RelayConfig) {}

  /** Exchanges an authorization code (once, with the secret and the same redirect_uri, S3/S6). */
  async exchangeCode(code: string): Promise<Result<ShortLivedGrant>> {
    const body = new URLSearchParams({
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      grant_type: "authorization_code",
      redirect_uri: this.config.redirectUri,
      code,
    });
    const answer = await this.#call("code_exchange", `${this.config.apiBase}/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    if (!answer.ok) return answer;
    const parsed = codeExchangeSchema.safeParse(answer.value);
    if (!parsed.success) return fail({ code: "upstream_error", reason: "code_exchange:malformed_body" });
    const grant = "data" in parsed.data ? parsed.data.data[0] : parsed.data;
    return ok({ accessToken: grant.access_token, grantedScopes: scopesFrom(grant.permissions) });
  }

  /** Upgrades a short-lived token to a long-lived (about 60 days) one. */
  async upgradeToken(shortLivedToken: string): Promise<Result<LongLivedToken>> {
    const url = this.#graphUrl("/access_token", {
      grant_type: "ig_exchange_token",
      client_secret: this.config.clientSecret,
      access_token: shortLivedToken,
    });
    return this.#longLived("token_upgrade", url);
  }

  /** Refreshes a long-lived token (must be >= 24 h old and unexpired; no secret is sent). */
  async refreshToken(longLivedToken: string): Promise<Result<LongLivedToken>> {
    const url = this.#graphUrl("/refresh_access_token", {
      grant_type: "ig_refresh_token",
      access_token: longLivedToken,
    });
    return this.#longLived("token_refresh", url);
  }

  /** The account's profile from `/me` (both ids kept as exact strings). */
  async fetchProfile(accessToken: string): Promise<Result<InstagramProfile>> {
    const url = this.#graphUrl(`/${this.config.graphVersion}/me`, {
      fields: PROFILE_FIELDS,
      access_token: accessToken,
    });
    const answer = await this.#call("graph", url, { method: "GET" });
    if (!answer.ok) return answer;
    const parsed = profileSchema.safeParse(answer.value);
    if (!parsed.success) return fail({ code: "upstream_error", reason: "graph:malformed_profile" });
    const me = "data" in parsed.data ? parsed.data.data[0] : parsed.data;
    return ok({
      id: me.id,
      userId: me.user_id ?? me.id,
      username: me.username,
      name: me.name ?? null,
      accountType: normaliseAccountType(me.account_type),
      profilePictureUrl: me.profile_picture_url ?? null,
      followersCount: me.followers_count ?? null,
      followsCount: me.follows_count ?? null,
      mediaCount: me.media_count ?? null,
    });
  }

  async #longLived(step: UpstreamStep, url: string): Promise<Result<LongLivedToken>> {
    const answer = await this.#call(step, url, { method: "GET" });
    if (!answer.ok) return answer;
    const parsed = longLivedTokenSchema.safeParse(answer.value);
    if (!parsed.success) return fail({ code: "upstream_error", reason: `${step}:malformed_body` });
    return ok({ accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in });
  }

  #graphUrl(path: string, query: Record<string, string>): string {
    return `${this.config.graphBase}${path}?${new URLSearchParams(query)}`;
  }

  /** One upstream request: network failure or timeout, provider error body, malformed body. */
  async #call(step: UpstreamStep, url: string, init: RequestInit): Promise<Result<unknown>> {
    let text: string;
    let status: number;
    try {
      const response = await upstreamFetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.config.upstreamTimeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const kind = error instanceof Error ? error.name : "unknown";
      return fail({ code: "upstream_timeout", reason: `${step}:network:${kind}` });
    }
    const body = parseJsonKeepingIds(text);
    if (status < 200 || status >= 300 || hasErrorField(body)) {
      return fail(classifyUpstreamError(step, status, body));
    }
    if (body === undefined) return fail({ code: "upstream_error", reason: `${step}:not_json` });
    return ok(body);
  }
}

function hasErrorField(body: unknown): boolean {
  return typeof body === "object" && body !== null && ("error" in body || "error_type" in body);
}

function scopesFrom(permissions: string | string[] | undefined): InstagramScope[] | null {
  if (permissions === undefined) return null;
  const names = typeof permissions === "string" ? permissions.split(",") : permissions;
  return [...new Set(names.map((name) => name.trim()).filter(isInstagramScope))];
}

function normaliseAccountType(value: string | undefined): AccountType {
  const upper = value?.toUpperCase();
  return upper === "BUSINESS" || upper === "MEDIA_CREATOR" || upper === "PERSONAL" ? upper : "UNKNOWN";
}
