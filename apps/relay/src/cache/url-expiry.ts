/**
 * Instagram's media and avatar URLs are signed CDN URLs that stop working at the time in their
 * `oe` parameter (hex epoch seconds). A cached answer must not outlive the first of them.
 * @example
 * earliestUrlExpiry(["https://scontent.cdninstagram.com/v/x.jpg?oe=6745A1B2"]) // 1732616626000
 */
export function earliestUrlExpiry(urls: Iterable<string | null | undefined>): number | null {
  let earliest: number | null = null;
  for (const url of urls) {
    const expiry = url ? urlExpiry(url) : null;
    if (expiry !== null && (earliest === null || expiry < earliest)) earliest = expiry;
  }
  return earliest;
}

/** The `oe` expiry of one URL in epoch ms, or null when it has none (or it is unreadable). */
export function urlExpiry(url: string): number | null {
  let oe: string | null;
  try {
    oe = new URL(url).searchParams.get("oe");
  } catch {
    return null;
  }
  if (!oe || !/^[0-9a-fA-F]{1,12}$/.test(oe)) return null;
  return Number.parseInt(oe, 16) * 1000;
}
