import type { MiddlewareHandler } from "hono";
import type { FakeContext } from "./context.ts";
import { classifyPath } from "./endpoints.ts";
import { faultResponse } from "./fault-response.ts";
import { tokenOwner } from "./graph-response.ts";
import { requestToken } from "./request-token.ts";
import type { FakeCallEndpoint, FakeEndpoint } from "./types.ts";
import { usageHeaders } from "./usage-headers.ts";

function isUpstream(endpoint: FakeCallEndpoint): endpoint is FakeEndpoint {
  return endpoint !== "authorize" && endpoint !== "permalink" && endpoint !== "unknown";
}

/** Records every request in `calls`, then answers with the next matching injected fault, if any. */
export function callsAndFaults(ctx: FakeContext): MiddlewareHandler {
  const { state } = ctx;
  return async (c, next) => {
    const endpoint = classifyPath(c.req.path, c.req.method);
    const at = state.clock.now();
    state.calls.push({ method: c.req.method, path: c.req.path, endpoint, at });
    const contentType = c.req.header("content-type");
    state.requests.push({
      method: c.req.method,
      url: c.req.url,
      endpoint,
      at,
      authorizationHeader: c.req.header("authorization") !== undefined,
      ...(contentType === undefined ? {} : { contentType }),
    });
    if (!isUpstream(endpoint)) return next();
    const fault = ctx.faults.take(endpoint);
    if (!fault) return next();
    const graph = endpoint !== "code_exchange" && endpoint !== "cdn";
    const owner = graph ? tokenOwner(ctx, requestToken(c.req.raw).token) : undefined;
    const headers = graph ? usageHeaders(state, owner) : {};
    if (fault.kind === "rate_limit" && owner) {
      // A throttled account reports its business budget as spent, with a regain time in minutes.
      const spent = {
        call_count: 100,
        total_cputime: 100,
        total_time: 100,
        estimated_time_to_regain_access: 5,
      };
      headers["X-Business-Use-Case-Usage"] = JSON.stringify({
        [owner.userId]: [{ type: "instagram", ...spent }],
      });
    }
    return (await faultResponse(fault, endpoint, c.req.raw.signal, headers)) ?? next();
  };
}
