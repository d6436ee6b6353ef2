/**
 * Cached, budget-aware reads of a connection's Instagram data, for the widget and app routes.
 * @example
 * import { readMediaPage, readProfile } from "../cache/index.ts";
 */
export type { CacheSource, Served } from "./cached-read.ts";
export {
  MEDIA_CURSOR,
  MEDIA_LIMIT,
  type MediaPageRequest,
  mediaPageValueSchema,
  readMediaPage,
} from "./media-reader.ts";
export { readProfile } from "./profile-reader.ts";
export { purgeConnectionReads, ReadCache } from "./read-cache.ts";
export type { ReadContext } from "./read-context.ts";
export { readSettings } from "./read-settings.ts";
