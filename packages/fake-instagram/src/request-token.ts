/** The access token of a Graph request: `access_token` query parameter or `Authorization: Bearer`. */
export function requestToken(request: Request): { token: string | undefined; fromQuery: boolean } {
  const fromQuery = new URL(request.url).searchParams.get("access_token");
  if (fromQuery) return { token: fromQuery, fromQuery: true };
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return { token: match?.[1], fromQuery: false };
}
