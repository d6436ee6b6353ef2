import {
  type AccountType,
  type InstagramProfile,
  type InstagramScope,
  isInstagramScope,
  type MediaPage,
} from "@instagram-connect/types";
import type { RelayConfig } from "../config/relay-config.ts";
import { type Failure, fail, ok, type Result } from "../result.ts";
import { upstreamFetch } from "../runtime.ts";
import { classifyUpstreamError, type UpstreamStep } from "./graph-error.ts";
import { parseJsonKeepingIds } from "./raw-json.ts";
import type { UpstreamReport } from "./upstream-budget.ts";
import { igMediaPageSchema, MEDIA_FIELDS, toMediaPage } from "./upstream-media.ts";
import {
  codeExchangeSchema,
  igProfileSchema,
  longLivedTokenSchema,
  PROFILE_FIELDS,
} from "./upstream-schemas.ts";
import { readUsageHeaders } from "./usage-headers.ts";

/** Options of `InstagramClient`. */
export interface InstagramClientOptions {
  /** Sees the usage headers and the outcome of every answer (e.g. `UpstreamBudget.observe`). */
  onResponse?: (report: UpstreamReport) => void | Promise<void>;
}

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
  constructor(
    private readonly config: RelayConfig,
    private readonly options: InstagramClientOptions = {},
  ) {}

  /** Exchanges an authorization code (once, with the secret and the same redirect_uri, S3/S6). */
  async exchangeCode(code: string): Promise<Result<ShortLivedGrant>> {
    const body = new URLSearchParams({
      client_id: this.config.oauth.clientId,
      client_secret: this.config.oauth.clientSecret,
      grant_type: "authorization_code",
      redirect_uri: this.config.oauth.redirectUri,
      code,
    });
    const answer = await this.#call("code_exchange", `${this.config.oauth.apiBase}/oauth/access_token`, {
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

  /**
   * Upgrades a short-lived token to a long-lived (about 60 days) one. The token travels in the
   * `Authorization` header; the client secret stays in the query because Meta documents this GET
   * with query parameters only (developers.facebook.com/docs/instagram-platform/reference/access_token,
   * "Query String Parameters"; packages/fake-instagram/README.md, "Facts confirmed"). It is the one
   * outgoing URL holding a secret, which is why wrangler.jsonc keeps traces off.
   */
  async upgradeToken(shortLivedToken: string): Promise<Result<LongLivedToken>> {
    const url = this.#graphUrl("/access_token", {
      grant_type: "ig_exchange_token",
      client_secret: this.config.oauth.clientSecret,
    });
    return this.#longLived("token_upgrade", url, shortLivedToken);
  }

  /** Refreshes a long-lived token (must be >= 24 h old and unexpired; no secret is sent). */
  async refreshToken(longLivedToken: string): Promise<Result<LongLivedToken>> {
    const url = this.#graphUrl("/refresh_access_token", { grant_type: "ig_refresh_token" });
    return this.#longLived("token_refresh", url, longLivedToken);
  }

  /** The account's profile from `/me` (both ids kept as exact strings). */
  async fetchProfile(accessToken: string): Promise<Result<InstagramProfile>> {
    const url = this.#graphUrl(`/${this.config.oauth.graphVersion}/me`, { fields: PROFILE_FIELDS });
    const answer = await this.#call("graph", url, bearer(accessToken));
    if (!answer.ok) return answer;
    const parsed = igProfileSchema.safeParse(answer.value);
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

  /** One page of `/me/media` (`after`: the cursor from the previous page's `nextCursor`). */
  async fetchMedia(
    accessToken: string,
    page: { limit: number; after?: string | undefined },
  ): Promise<Result<MediaPage>> {
    const query: Record<string, string> = { fields: MEDIA_FIELDS, limit: String(page.limit) };
    if (page.after) query.after = page.after;
    const url = this.#graphUrl(`/${this.config.oauth.graphVersion}/me/media`, query);
    const answer = await this.#call("graph", url, bearer(accessToken));
    if (!answer.ok) return answer;
    const parsed = igMediaPageSchema.safeParse(answer.value);
    if (!parsed.success) return fail({ code: "upstream_error", reason: "graph:malformed_media" });
    return ok(toMediaPage(parsed.data));
  }

  /**
   * A versioned Graph GET returning Graph's raw JSON (ids keep their exact digits), for the API's
   * passthrough. `path` is relative to the version (`me/media`); the token travels only in the
   * `Authorization` header, never in the URL.
   */
  async getGraph(path: string, query: Record<string, string>, accessToken: string): Promise<Result<unknown>> {
    const url = this.#graphUrl(`/${this.config.oauth.graphVersion}/${path}`, query);
    return this.#call("graph", url, bearer(accessToken));
  }

  /**
   * A versioned Graph call that acts on the account (publishing, comments, insights): the token
   * travels in `Authorization: Bearer` (never in a URL), POST parameters in a form body. Returns
   * Graph's raw JSON; another account's object (code 100 / subcode 33) is `instagram_object_not_found`.
   */
  async act(
    method: "GET" | "POST" | "DELETE",
    path: string,
    params: Record<string, string>,
    accessToken: string,
  ): Promise<Result<unknown>> {
    const query = method === "POST" ? {} : params;
    const url = this.#graphUrl(`/${this.config.oauth.graphVersion}/${path}`, query);
    const headers: Record<string, string> = { Authorization: `Bearer ${accessToken}` };
    if (method !== "POST") return this.#call("graph", url, { method, headers });
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    return this.#call("graph", url, { method, headers, body: new URLSearchParams(params) });
  }

  async #longLived(step: UpstreamStep, url: string, token: string): Promise<Result<LongLivedToken>> {
    const answer = await this.#call(step, url, bearer(token));
    if (!answer.ok) return answer;
    const parsed = longLivedTokenSchema.safeParse(answer.value);
    if (!parsed.success) return fail({ code: "upstream_error", reason: `${step}:malformed_body` });
    return ok({ accessToken: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in });
  }

  #graphUrl(path: string, query: Record<string, string>): string {
    return `${this.config.oauth.graphBase}${path}?${new URLSearchParams(query)}`;
  }

  /** One upstream request: network failure or timeout, provider error body, malformed body. */
  async #call(step: UpstreamStep, url: string, init: RequestInit): Promise<Result<unknown>> {
    let text: string;
    let status: number;
    let headers: Headers;
    try {
      const response = await upstreamFetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.config.oauth.upstreamTimeoutMs),
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      const kind = error instanceof Error ? error.name : "unknown";
      return fail({ code: "upstream_timeout", reason: `${step}:network:${kind}` });
    }
    const body = parseJsonKeepingIds(text);
    const failure =
      status < 200 || status >= 300 || hasErrorField(body)
        ? classifyUpstreamError(step, status, body)
        : body === undefined
          ? ({ code: "upstream_error", reason: `${step}:not_json` } satisfies Failure)
          : null;
    await this.options.onResponse?.({ usage: readUsageHeaders(headers), failure });
    return failure ? fail(failure) : ok(body);
  }
}

/**
 * A GET carrying the token as `Authorization: Bearer` (Graph accepts it on every node and edge,
 * Meta's publishing guide uses it), so no token ever sits in a URL that traces or logs record.
 */
function bearer(accessToken: string): RequestInit {
  return { method: "GET", headers: { Authorization: `Bearer ${accessToken}` } };
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
