import { newAccessToken } from "./random.ts";
import type { FakeClock } from "./types.ts";

/** One hour: short-lived tokens and authorization codes. */
export const SHORT_LIVED_MS = 3_600_000;
/** About 60 days, a little under as Instagram answers (clients must compute expiry from `expires_in`). */
export const LONG_LIVED_SECONDS = 5_183_944;
/** A long-lived token must be this old before it can be refreshed. */
export const MIN_REFRESH_AGE_MS = 86_400_000;

/** A token the fake issued. */
export interface TokenRecord {
  token: string;
  kind: "short" | "long";
  /** App-scoped id of the owner. */
  userId: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  /** Revoked by the user (password change, app removal): Graph 190/460. */
  revoked: boolean;
  /** Replaced by a refresh: the old string stops working (Graph 190/467). */
  superseded: boolean;
}

/** Why a token cannot be used; `ok` carries the record. */
export type TokenCheck =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: "missing" | "unknown" | "expired" | "revoked" | "superseded"; record?: TokenRecord };

/** Issues, checks, refreshes and revokes tokens against the fake clock. */
export class TokenStore {
  readonly #records = new Map<string, TokenRecord>();
  readonly #clock: FakeClock;

  constructor(clock: FakeClock) {
    this.#clock = clock;
  }

  issue(kind: "short" | "long", userId: string, scopes: string[]): TokenRecord {
    const now = this.#clock.now();
    const lifetime = kind === "short" ? SHORT_LIVED_MS : LONG_LIVED_SECONDS * 1000;
    const record: TokenRecord = {
      token: newAccessToken(),
      kind,
      userId,
      scopes: [...scopes],
      issuedAt: now,
      expiresAt: now + lifetime,
      revoked: false,
      superseded: false,
    };
    this.#records.set(record.token, record);
    return record;
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: "missing" };
    const record = this.#records.get(token);
    if (!record) return { ok: false, reason: "unknown" };
    if (record.revoked) return { ok: false, reason: "revoked", record };
    if (record.superseded) return { ok: false, reason: "superseded", record };
    if (this.#clock.now() >= record.expiresAt) return { ok: false, reason: "expired", record };
    return { ok: true, record };
  }

  /** Replaces `old` with a new string and a fresh 60-day expiry; the old string stops working. */
  refresh(old: TokenRecord): TokenRecord {
    old.superseded = true;
    return this.issue("long", old.userId, old.scopes);
  }

  revokeToken(token: string): boolean {
    const record = this.#records.get(token);
    if (record) record.revoked = true;
    return record !== undefined;
  }

  /** Withdraws `scope` from every token of `userId` (the user unticked it in Instagram's settings). */
  removeScope(userId: string, scope: string): number {
    let count = 0;
    for (const record of this.#records.values()) {
      if (record.userId === userId && record.scopes.includes(scope)) {
        record.scopes = record.scopes.filter((s) => s !== scope);
        count++;
      }
    }
    return count;
  }

  revokeUser(userId: string): number {
    let count = 0;
    for (const record of this.#records.values()) {
      if (record.userId === userId && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    return count;
  }
}
