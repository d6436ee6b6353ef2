/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#fafafa;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #dbdbdb;border-radius:8px;padding:24px 32px;max-width:420px}
h1{font-size:20px}ul{padding-left:20px}.actions{display:flex;gap:12px;margin-top:20px}
button{font-size:15px;padding:8px 18px;border-radius:6px;border:1px solid #dbdbdb;cursor:pointer}
#allow{background:#0095f6;color:#fff;border-color:#0095f6}.error{color:#c00}.note{color:#737373;font-size:13px}`;

/** A complete page around `body` (already escaped). */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}
