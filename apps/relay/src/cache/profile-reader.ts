import type { InstagramProfile } from "@instagram-connect/types";
import type { Result } from "../result.ts";
import { profileSchema } from "../storage/connection-record.ts";
import { readCacheKey } from "../storage/kv-keys.ts";
import { cachedRead, type Served } from "./cached-read.ts";
import { prepareRead, type ReadContext, usableUntil } from "./read-context.ts";

/**
 * The connection's live profile from Instagram's `/me`, cached per connection for
 * `PROFILE_CACHE_SECONDS` (and never past its avatar URL's expiry), within the account's
 * upstream budget. The token never leaves the relay.
 * @example
 * const profile = await readProfile({ env: c.env, config: c.get("config"), record });
 * if (profile.ok) profile.value.value.username;
 */
export async function readProfile(ctx: ReadContext): Promise<Result<Served<InstagramProfile>>> {
  const prepared = await prepareRead(ctx);
  if (!prepared.ok) return prepared;
  const { settings, budget, generation, withToken } = prepared.value;
  return cachedRead({
    kv: ctx.env.CONNECTIONS,
    key: readCacheKey(ctx.record.connectionId, "profile", generation),
    schema: profileSchema,
    freshSeconds: settings.profileCacheSeconds,
    usableUntil: (profile, fetchedAt) => usableUntil(fetchedAt, [profile.profilePictureUrl]),
    budget,
    fetch: () => withToken((client, token) => client.fetchProfile(token)),
  });
}
