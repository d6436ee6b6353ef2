import type { RelayConfig } from "./config/relay-config.ts";
import type { ConnectionRecord } from "./storage/connection-record.ts";

/** Bindings and per-request variables of the relay's Hono app. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Validated configuration (set by the config middleware on every /v1 route). */
    config: RelayConfig;
    /** The authenticated connection (set by the credential check on /v1/connections/me). */
    connection: ConnectionRecord;
  };
};
