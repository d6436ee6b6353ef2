import { randomToken } from "../crypto/base64url.ts";
import { htmlPageHeaders } from "./security-headers.ts";

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** JSON safe to embed inside an inline `<script>` (no `</script>`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/** Body parts of a relay page; `script` runs under the page's CSP nonce. */
export interface PageParts {
  title: string;
  /** Trusted HTML (callers escape any data they interpolate). */
  body: string;
  script?: string;
  /** Where the page's form may submit and redirect to (CSP `form-action`); none by default. */
  formAction?: readonly string[];
}

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;" +
  "color:#1a1a1a;background:#fafafa}main{max-width:28rem;padding:2rem;text-align:center}";

/** A self-contained relay page: no third-party resources, strict CSP with a per-response nonce (S8). */
export function htmlPage(
  parts: PageParts,
  status: number,
  extraHeaders: Record<string, string> = {},
): Response {
  const nonce = randomToken(16);
  const script = parts.script ? `<script nonce="${nonce}">${parts.script}</script>` : "";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(parts.title)}</title><style nonce="${nonce}">${STYLE}</style></head><body>${parts.body}${script}</body></html>`;
  return new Response(html, {
    status,
    headers: { ...htmlPageHeaders(nonce, parts.formAction), ...extraHeaders },
  });
}
