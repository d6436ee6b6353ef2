import { requestToken } from "./request-token.ts";

/**
 * A Graph request's parameters: the query string, then a form, multipart or JSON body (Graph accepts
 * all three for POST). Body values win over query values of the same name.
 */
export async function readParams(request: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URL(request.url).searchParams) out[key] = value;
  if (request.method === "GET" || request.method === "HEAD") return out;
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.includes("application/json")) {
      const body: unknown = await request.json();
      if (typeof body === "object" && body !== null) {
        for (const [key, value] of Object.entries(body)) {
          if (typeof value === "string") out[key] = value;
          else if (typeof value === "number" || typeof value === "boolean") out[key] = String(value);
          else if (Array.isArray(value)) out[key] = value.join(",");
        }
      }
    } else if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
      for (const [key, value] of await request.formData()) if (typeof value === "string") out[key] = value;
    }
  } catch {
    // An unreadable body is treated as empty: the missing-parameter errors explain the rest.
  }
  return out;
}

/** The token of a Graph call: query or `Authorization: Bearer` (as `requestToken`), else the body. */
export function tokenFrom(
  request: Request,
  params: Record<string, string>,
): { token: string | undefined; fromQuery: boolean } {
  const found = requestToken(request);
  if (found.token) return found;
  return { token: params.access_token, fromQuery: false };
}
