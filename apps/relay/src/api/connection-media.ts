import type { MediaPage } from "@instagram-connect/types";
import { readMediaPage } from "../cache/index.ts";
import type { RelayConfig } from "../config.ts";
import { fail, ok, type Result } from "../result.ts";
import type { ConnectionRecord } from "../storage/connection-record.ts";

/**
 * One page of a connection's media for the API, through the same cached, budget-aware reader
 * as the widget's media route: the relay calls Instagram with the stored token, which never
 * leaves the relay.
 */
export async function readConnectionMedia(
  env: Env,
  config: RelayConfig,
  record: ConnectionRecord,
  page: { limit: number; after?: string | undefined },
): Promise<Result<MediaPage>> {
  const served = await readMediaPage({ env, config, record }, page);
  return served.ok ? ok(served.value.value) : fail(served.failure);
}
