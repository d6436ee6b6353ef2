import type { ConnectionView } from "@instagram-connect/types";
import { validated } from "../http/validate.ts";
import { connectionTagsSchema } from "../request-schemas.ts";

/** One metadata tag filter: the top-level metadata field `key` must read as `value`. */
export interface TagFilter {
  key: string;
  value: string;
}

/**
 * The `tag` parameters of a list query (`tag=plan:pro&tag=team:7`), each split at its first
 * colon. Malformed or more than ten: `invalid_request` (400), naming the parameter, not its value.
 */
export function parseTagFilters(raw: readonly string[]): TagFilter[] {
  return validated(connectionTagsSchema, raw, "query").map((tag) => {
    const colon = tag.indexOf(":");
    return { key: tag.slice(0, colon), value: tag.slice(colon + 1) };
  });
}

/**
 * Whether a connection's metadata matches every filter. A string field compares exactly; a number
 * or boolean as its JSON text (`count:3`, `beta:true`); null, objects, arrays and missing fields
 * never match, so a filter can never match by accident of shape.
 */
export function matchesTags(view: ConnectionView, filters: readonly TagFilter[]): boolean {
  return filters.every(({ key, value }) => {
    // Own properties only: `constructor:...` or `__proto__:...` must not reach Object.prototype.
    if (!view.metadata || !Object.hasOwn(view.metadata, key)) return false;
    const field = view.metadata[key];
    if (typeof field === "string") return field === value;
    if (typeof field === "number" || typeof field === "boolean") return JSON.stringify(field) === value;
    return false;
  });
}
