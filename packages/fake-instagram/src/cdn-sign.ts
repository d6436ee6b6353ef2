/** Media served by the fake CDN: `svg` (default, labelled gradients for the demo) or real `png` bytes. */
export type CdnImageFormat = "svg" | "png";

/** How long a CDN URL stays valid: Instagram's are seen to last a few days. */
export const CDN_LIFETIME_S = 3 * 86_400;

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The `oh` signature over a CDN path and its `oe`, keyed by the app secret. Not cryptographic (it
 * must stay synchronous for the media views): it only has to catch an edited URL, as the real CDN does.
 */
export function cdnSignature(key: string, file: string, oe: string): string {
  const text = `${key}|${file}|${oe}`;
  return (
    fnv1a(text, 0x811c9dc5).toString(16).padStart(8, "0") +
    fnv1a(text, 0x9e3779b9).toString(16).padStart(8, "0")
  );
}

/** A signed, expiring CDN URL on `origin`: `/cdn/<name>.<ext>?oe=<hex seconds>&oh=<signature>`. */
export function signedCdnUrl(
  origin: string,
  name: string,
  nowMs: number,
  options: { key: string; format: CdnImageFormat },
): string {
  const file = `${name}.${options.format}`;
  const oe = (Math.floor(nowMs / 1000) + CDN_LIFETIME_S).toString(16).toUpperCase();
  return `${origin}/cdn/${file}?oe=${oe}&oh=${cdnSignature(options.key, file, oe)}`;
}
