import type { FakeCallEndpoint } from "./types.ts";

const VERSION = String.raw`(?:/v\d+\.\d+)?`;
const ID = String.raw`(?:me|\d+)`;
const PATTERNS: [RegExp, FakeCallEndpoint][] = [
  [/^\/oauth\/authorize\/?$/, "authorize"],
  [/^\/oauth\/access_token\/?$/, "code_exchange"],
  [new RegExp(`^${VERSION}/access_token/?$`), "long_lived"],
  [new RegExp(`^${VERSION}/refresh_access_token/?$`), "refresh"],
  [new RegExp(`^${VERSION}/me/?$`), "me"],
  [new RegExp(`^${VERSION}/${ID}/media/?$`), "media"],
  [new RegExp(`^${VERSION}/${ID}/media_publish/?$`), "media_publish"],
  [new RegExp(`^${VERSION}/${ID}/content_publishing_limit/?$`), "publishing_limit"],
  [new RegExp(`^${VERSION}/${ID}/insights/?$`), "insights"],
  [new RegExp(`^${VERSION}/d+/comments/?$`), "comments"],
  [new RegExp(`^${VERSION}/d+/replies/?$`), "replies"],
  [new RegExp(`^${VERSION}/d+/?$`), "node"],
  [/^\/cdn\//, "cdn"],
  [/^\/p\//, "permalink"],
];

/** Which Instagram endpoint a request belongs to (versioned and unversioned Graph paths alike). */
export function classifyPath(path: string, method = "GET"): FakeCallEndpoint {
  for (const [pattern, endpoint] of PATTERNS) {
    if (!pattern.test(path)) continue;
    // `/{id}/media` is the media list when read and a new publishing container when posted to.
    return endpoint === "media" && method === "POST" ? "media_create" : endpoint;
  }
  return "unknown";
}

/** Hono path prefixes for Graph routes: unversioned and `/v25.0`-style. */
export const GRAPH_PREFIXES = ["", "/:version{v[0-9]+\\.[0-9]+}"];
