import type { FakeCallEndpoint } from "./types.ts";

const VERSION = String.raw`(?:/v\d+\.\d+)?`;
const PATTERNS: [RegExp, FakeCallEndpoint][] = [
  [/^\/oauth\/authorize\/?$/, "authorize"],
  [/^\/oauth\/access_token\/?$/, "code_exchange"],
  [new RegExp(`^${VERSION}/access_token/?$`), "long_lived"],
  [new RegExp(`^${VERSION}/refresh_access_token/?$`), "refresh"],
  [new RegExp(`^${VERSION}/me/?$`), "me"],
  [new RegExp(`^${VERSION}/me/media/?$`), "media"],
  [/^\/cdn\//, "cdn"],
  [/^\/p\//, "permalink"],
];

/** Which Instagram endpoint a path belongs to (versioned and unversioned Graph paths alike). */
export function classifyPath(path: string): FakeCallEndpoint {
  for (const [pattern, endpoint] of PATTERNS) if (pattern.test(path)) return endpoint;
  return "unknown";
}

/** Hono path prefixes for Graph routes: unversioned and `/v25.0`-style. */
export const GRAPH_PREFIXES = ["", "/:version{v[0-9]+\\.[0-9]+}"];
