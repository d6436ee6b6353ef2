import type { FakeState } from "./state.ts";
import type { FakeUser } from "./types.ts";

/** The key under which `setUsage` without a userId stores numbers for every account. */
export const ALL_ACCOUNTS = "*";

/**
 * `X-App-Usage` and `X-Business-Use-Case-Usage` in Instagram's JSON formats (percentages; regain time
 * in minutes). The business header is keyed by the professional account id, `{}` when no account is known.
 */
export function usageHeaders(state: FakeState, user: FakeUser | undefined): Record<string, string> {
  const app = { call_count: state.appCallCount, total_cputime: 1, total_time: 1 };
  const business: Record<string, unknown[]> = {};
  if (user) {
    const usage = state.businessUsage.get(user.id) ?? state.businessUsage.get(ALL_ACCOUNTS);
    const callCount = usage?.callCount ?? 1;
    business[user.userId] = [
      {
        type: "instagram",
        call_count: callCount,
        total_cputime: Math.min(callCount, 100),
        total_time: Math.min(callCount, 100),
        estimated_time_to_regain_access: usage?.estimatedTimeToRegainAccess ?? 0,
      },
    ];
  }
  return { "X-App-Usage": JSON.stringify(app), "X-Business-Use-Case-Usage": JSON.stringify(business) };
}
