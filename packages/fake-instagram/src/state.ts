import type { CdnImageFormat } from "./cdn-sign.ts";
import type { FakeComment } from "./comments.ts";
import type { PublishingState } from "./publishing.ts";
import type { CodeExchangeShape, FakeCall, FakeClock, FakeRequest, FakeUser } from "./types.ts";

/** A code handed out by the consent screen: single use, valid one hour. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

/** Business usage numbers reported for one account (or for all, under the `*` key). */
export interface BusinessUsage {
  callCount: number;
  estimatedTimeToRegainAccess: number;
}

/** Everything the fake remembers; shared by the routes and the in-process API. */
export interface FakeState {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  denialEchoesState: boolean;
  clock: FakeClock;
  users: FakeUser[];
  codes: Map<string, CodeRecord>;
  calls: FakeCall[];
  requests: FakeRequest[];
  codeExchangeShape: CodeExchangeShape;
  appCallCount: number;
  businessUsage: Map<string, BusinessUsage>;
  cdnFormat: CdnImageFormat;
  publishing: PublishingState;
  /** Comments per media id, seeded on first use. */
  comments: Map<string, FakeComment[]>;
  outboundFetch: (request: Request) => Promise<Response>;
  /** `http://` origins whose media is downloaded anyway (a local relay without TLS). */
  insecureMediaOrigins: string[];
  webhookCallbackUrl: string | undefined;
}

/** Finds a user by app-scoped id, professional id or username. */
export function findUser(state: FakeState, key: string): FakeUser | undefined {
  return state.users.find((u) => u.id === key || u.userId === key || u.username === key);
}
