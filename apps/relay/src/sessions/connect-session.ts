import { DurableObject } from "cloudflare:workers";
import type { ConnectionMetadata, EndUser, InstagramScope } from "@instagram-connect/types";
import { randomToken, sha256Base64Url } from "../crypto/base64url.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { fail, ok, type Result } from "../result.ts";

/** A connect session as stored in its Durable Object (only the secret's hash is kept). */
export interface SessionRecord {
  sessionId: string;
  secretHash: string;
  endUser: EndUser;
  metadata: ConnectionMetadata | null;
  /** null: anything the relay allows. */
  allowedScopes: InstagramScope[] | null;
  allowedOrigins: string[] | null;
  reconnectConnectionId: string | null;
  /** Hash of the hosted link's secret (`connectUrl`); absent on sessions made before links existed. */
  linkSecretHash?: string;
  /** Where the hosted link's result page offers to return (validated at creation). */
  returnUrl?: string | null;
  expiresAt: number;
  /** Set once a consent started with it: a token starts one consent only. */
  used: boolean;
}

/** What starting a consent with a session must satisfy. */
export interface SessionUse {
  origin: string;
  scopes: readonly InstagramScope[];
}

const SESSION = "session";
const TOKEN_FORMAT = /^ics_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const LINK_FORMAT = /^icl_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * One connect session per object (`getByName(sessionId)`). Strongly consistent and atomic
 * (synchronous storage, no await between check and write), so a token starts exactly one
 * consent even when two tabs race. Deleted by its alarm once expired.
 */
export class ConnectSession extends DurableObject<Env> {
  /** Stores a new session and schedules its removal. */
  async create(record: SessionRecord): Promise<void> {
    this.ctx.storage.kv.put(SESSION, record);
    await this.ctx.storage.setAlarm(record.expiresAt + 60_000);
  }

  /**
   * Spends the session on one consent when the secret matches, it is live and unused, the
   * origin and scopes are within its limits. A refused use does not spend it.
   */
  redeem(secretHash: string, use: SessionUse, nowMs: number): Result<SessionRecord> {
    const session = this.#live(secretHash, nowMs);
    if (!session.ok) return session;
    const record = session.value;
    if (record.used) return refuse("used");
    if (record.allowedOrigins && !record.allowedOrigins.includes(use.origin))
      return refuse("origin_not_in_session");
    if (record.allowedScopes && use.scopes.some((scope) => !record.allowedScopes?.includes(scope))) {
      return fail({ code: "scope_not_allowed", reason: "scope_not_in_session" });
    }
    this.ctx.storage.kv.put(SESSION, { ...record, used: true });
    return ok(record);
  }

  /**
   * The session behind a hosted link, read-only (the link's page is shown; e-mail scanners that
   * fetch it spend nothing): live, unused and the link secret matches.
   */
  inspectLink(linkSecretHash: string, nowMs: number): Result<SessionRecord> {
    return this.#unusedLink(linkSecretHash, nowMs);
  }

  /**
   * Spends the session through its hosted link (the page's button): the same single use as
   * `redeem`, checked and written with no await in between, so of two concurrent uses exactly
   * one proceeds. The origin check does not apply: the page is the relay's own.
   */
  redeemLink(linkSecretHash: string, nowMs: number): Result<SessionRecord> {
    const session = this.#unusedLink(linkSecretHash, nowMs);
    if (session.ok) this.ctx.storage.kv.put(SESSION, { ...session.value, used: true });
    return session;
  }

  /** The session for read-only use (listing its end user's connections) until it expires. */
  authenticate(secretHash: string, nowMs: number): Result<SessionRecord> {
    return this.#live(secretHash, nowMs);
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  #unusedLink(linkSecretHash: string, nowMs: number): Result<SessionRecord> {
    const record = this.ctx.storage.kv.get<SessionRecord>(SESSION);
    if (!record?.linkSecretHash || !constantTimeEqual(record.linkSecretHash, linkSecretHash)) {
      return refuse("unknown_link");
    }
    if (record.expiresAt <= nowMs) return refuse("expired");
    if (record.used) return refuse("used");
    return ok(record);
  }

  #live(secretHash: string, nowMs: number): Result<SessionRecord> {
    const record = this.ctx.storage.kv.get<SessionRecord>(SESSION);
    if (!record || !constantTimeEqual(record.secretHash, secretHash)) return refuse("unknown");
    if (record.expiresAt <= nowMs) return refuse("expired");
    return ok(record);
  }
}

/** A new session's secrets: the widget token and the hosted link (`ics_` / `icl_<id>.<256 random bits>`), and their stored hashes. */
export async function newSessionSecrets(): Promise<{
  sessionId: string;
  token: string;
  secretHash: string;
  link: string;
  linkSecretHash: string;
}> {
  const sessionId = randomToken(16);
  const secret = randomToken(32);
  const linkSecret = randomToken(32);
  return {
    sessionId,
    token: `ics_${sessionId}.${secret}`,
    secretHash: await sha256Base64Url(secret),
    link: `icl_${sessionId}.${linkSecret}`,
    linkSecretHash: await sha256Base64Url(linkSecret),
  };
}

/** The session id and link secret hash of a well-formed hosted link (`icl_<id>.<secret>`), else null. */
export async function parseLinkToken(
  link: string,
): Promise<{ sessionId: string; linkSecretHash: string } | null> {
  const match = LINK_FORMAT.exec(link);
  if (!match?.[1] || !match[2]) return null;
  return { sessionId: match[1], linkSecretHash: await sha256Base64Url(match[2]) };
}

/** The session id and secret hash of a well-formed token, else null. */
export async function parseSessionToken(
  token: string,
): Promise<{ sessionId: string; secretHash: string } | null> {
  const match = TOKEN_FORMAT.exec(token);
  if (!match?.[1] || !match[2]) return null;
  return { sessionId: match[1], secretHash: await sha256Base64Url(match[2]) };
}

/** The object holding one session. */
export function sessionStub(env: Pick<Env, "CONNECT_SESSIONS">, sessionId: string) {
  return env.CONNECT_SESSIONS.getByName(sessionId);
}

/** Looks a token up: `invalid_session` (401) when malformed, unknown or expired. */
export async function authenticateSession(
  env: Pick<Env, "CONNECT_SESSIONS">,
  token: string,
  nowMs: number,
): Promise<Result<SessionRecord>> {
  const parsed = await parseSessionToken(token);
  if (!parsed) return refuse("malformed");
  return sessionStub(env, parsed.sessionId).authenticate(parsed.secretHash, nowMs);
}

function refuse(reason: string): Result<never> {
  return fail({ code: "invalid_session", reason });
}
