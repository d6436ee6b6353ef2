import type { FaultQueue } from "./faults.ts";
import type { FakeState } from "./state.ts";
import type { TokenStore } from "./tokens.ts";

/** What every route module gets: the state, the token store and the fault queue. */
export interface FakeContext {
  state: FakeState;
  tokens: TokenStore;
  faults: FaultQueue;
  /** The fake's own app, so a media URL on the fake's host is fetched without leaving the process. */
  selfFetch?: (request: Request) => Promise<Response>;
}
