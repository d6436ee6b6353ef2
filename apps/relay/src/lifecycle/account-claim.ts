import { DurableObject } from "cloudflare:workers";

/**
 * One object per (Instagram account, owner) (`getByName("<user_id>|<owner key>")`): it decides
 * which connection id that pair has, so two consents of one account by one owner that race
 * (two tabs, two states) end up writing the same connection (issue 12, invariant 1). The
 * decision is a synchronous read-then-write of the object's own storage, hence atomic; the
 * record itself is then written through that connection's coordinator, one write at a time.
 * Removing the connection releases the claim, so connecting the pair again later makes a new one.
 */
export class AccountClaim extends DurableObject<Env> {
  /** The pair's connection id: the stored one, else `candidate` (stored from now on). */
  claim(candidate: string): string {
    const existing = this.claimed();
    if (existing) return existing;
    this.ctx.storage.kv.put("connectionId", candidate);
    return candidate;
  }

  /** The pair's connection id, if one is claimed; claims nothing. */
  claimed(): string | null {
    return this.ctx.storage.kv.get<string>("connectionId") ?? null;
  }

  /** Forgets the pair's connection id if it is still `connectionId` (called once it is removed). */
  release(connectionId: string): void {
    if (this.ctx.storage.kv.get<string>("connectionId") === connectionId)
      this.ctx.storage.kv.delete("connectionId");
  }
}

/** The claim object of one Instagram account (professional `user_id`) and owner key. */
export function accountClaimFor(env: Pick<Env, "ACCOUNT_CLAIMS">, userId: string, owner: string) {
  return env.ACCOUNT_CLAIMS.getByName(`${userId}|${owner}`);
}
