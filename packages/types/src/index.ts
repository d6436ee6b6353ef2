/**
 * The contract shared by the instagram-connect relay, the React widget and apps.
 *
 * @example
 * import { ROUTES, isRelayError, type ConnectionResponse } from "@instagram-connect/types";
 */

export * from "./actions.ts";
export * from "./admin.ts";
export * from "./api.ts";
export * from "./connection.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./feeds.ts";
export * from "./meta.ts";
export * from "./monitoring.ts";
export * from "./oauth.ts";
export * from "./rate-limit.ts";
export * from "./routes.ts";
export * from "./scopes.ts";
export * from "./sessions.ts";
