import { type ReadContext, upstreamBudget } from "../cache/connection-reads.ts";
import { FEATURE_SCOPES, type Feature } from "../config/feature-scopes.ts";
import type { RelayConfig } from "../config/relay-config.ts";
import { InstagramClient } from "../instagram/instagram-client.ts";
import { coordinatedStore, watchTokenRefusal } from "../lifecycle/connection-coordinator.ts";
import { fail, ok, type Result } from "../result.ts";
import { now } from "../runtime.ts";
import { type ConnectionRecord, isUsable } from "../storage/connection-record.ts";

/** What an action on the account needs: a client within the account's budget and its token. */
export interface AccountAccess {
  client: InstagramClient;
  accessToken: string;
  /** The professional account id Graph paths start with. */
  userId: string;
}

/**
 * Whether the connection may use a feature now, without calling anyone: enabled (`forbidden`),
 * token usable (`reauth_required`), scope granted (`permission_missing`).
 */
export function checkFeature(config: RelayConfig, record: ConnectionRecord, feature: Feature): Result<void> {
  if (!config.actions.features.includes(feature))
    return fail({ code: "forbidden", reason: `feature_off:${feature}` });
  if (!isUsable(record, now())) return fail({ code: "reauth_required", reason: "token_expired_or_flagged" });
  if (!record.scopes.includes(FEATURE_SCOPES[feature])) {
    return fail({ code: "permission_missing", reason: `scope_not_granted:${FEATURE_SCOPES[feature]}` });
  }
  return ok(undefined);
}

/**
 * Opens the connection's account for one feature: the feature must be enabled (`FEATURES`,
 * else `forbidden`), the token usable (`reauth_required`), the feature's scope granted by the
 * account (`permission_missing`: the record holds the scopes Instagram granted), and the
 * account's upstream budget must allow a call (`rate_limited`). The token is decrypted last.
 * @example
 * const access = await accessAccount({ env, config, record }, "comments");
 */
export async function accessAccount(ctx: ReadContext, feature: Feature): Promise<Result<AccountAccess>> {
  const { env, config, record } = ctx;
  const allowedFeature = checkFeature(config, record, feature);
  if (!allowedFeature.ok) return allowedFeature;
  const budget = upstreamBudget(ctx);
  const allowed = await budget.acquire();
  if (!allowed.ok) return allowed;
  const accessToken = await coordinatedStore(env, config).readAccessToken(record);
  if (!accessToken.ok) return accessToken;
  return ok({
    client: new InstagramClient(config, { onResponse: watchTokenRefusal(env, record, budget.observe) }),
    accessToken: accessToken.value,
    userId: record.profile.userId,
  });
}
