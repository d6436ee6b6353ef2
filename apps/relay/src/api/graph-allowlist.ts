/**
 * What the Graph passthrough lets through: four read-only paths, each with its own field
 * allowlist (nested `children{...}` only on media). Anything else, including any query
 * parameter beyond fields/limit/after/before (so a caller can never pass its own
 * `access_token`), is `graph_path_not_allowed`.
 */

const PROFILE_FIELDS = new Set([
  "id",
  "user_id",
  "username",
  "name",
  "account_type",
  "profile_picture_url",
  "followers_count",
  "follows_count",
  "media_count",
]);
const CHILD_FIELDS = new Set(["id", "media_type", "media_url", "thumbnail_url", "timestamp", "permalink"]);
const MEDIA_FIELDS = new Set([
  "id",
  "caption",
  "media_type",
  "media_url",
  "permalink",
  "thumbnail_url",
  "timestamp",
  "username",
  "like_count",
  "comments_count",
]);

interface PathRule {
  pattern: RegExp;
  fields: ReadonlySet<string>;
  /** Whether `children{...}` may be selected. */
  children: boolean;
  paged: boolean;
}

const MEDIA_ID = String.raw`\d{1,25}`;
const RULES: PathRule[] = [
  { pattern: /^me$/, fields: PROFILE_FIELDS, children: false, paged: false },
  { pattern: /^me\/media$/, fields: MEDIA_FIELDS, children: true, paged: true },
  { pattern: new RegExp(`^${MEDIA_ID}$`), fields: MEDIA_FIELDS, children: true, paged: false },
  { pattern: new RegExp(`^${MEDIA_ID}/children$`), fields: CHILD_FIELDS, children: false, paged: true },
];

/** Documented in the OpenAPI description and API.md. */
export const GRAPH_ALLOWLIST_SUMMARY =
  "me (profile fields), me/media and <media-id> (media fields, children{...}), <media-id>/children (child fields)";

/** True when `path` with `query` may be forwarded to Graph. */
export function isGraphRequestAllowed(
  path: string,
  query: { fields?: string | undefined; limit?: unknown; after?: unknown; before?: unknown },
): boolean {
  const rule = RULES.find((candidate) => candidate.pattern.test(path));
  if (!rule) return false;
  if (!rule.paged && (query.limit !== undefined || query.after !== undefined || query.before !== undefined)) {
    return false;
  }
  return query.fields === undefined || fieldsAllowed(query.fields, rule);
}

function fieldsAllowed(fields: string, rule: PathRule): boolean {
  const parsed = parseFields(fields);
  if (!parsed) return false;
  return parsed.every(({ name, children }) => {
    if (children === undefined) return rule.fields.has(name);
    return rule.children && name === "children" && children.every((child) => CHILD_FIELDS.has(child));
  });
}

/** `a,b,children{c,d}` -> names with their one level of nested names; null when malformed. */
function parseFields(fields: string): { name: string; children?: string[] }[] | null {
  const out: { name: string; children?: string[] }[] = [];
  const pattern = /([a-z_]+)(?:\{([a-z_,]+)\})?(?:,|$)/gy;
  let match: RegExpExecArray | null = pattern.exec(fields);
  let consumed = 0;
  while (match !== null && match[0] !== "") {
    const [whole, name, nested] = match;
    if (!name) return null;
    consumed += whole.length;
    out.push(nested === undefined ? { name } : { name, children: nested.split(",").filter(Boolean) });
    match = pattern.exec(fields);
  }
  return consumed === fields.length && out.length > 0 && !fields.endsWith(",") ? out : null;
}
