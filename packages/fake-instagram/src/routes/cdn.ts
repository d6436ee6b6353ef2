import { Hono } from "hono";
import type { FakeContext } from "../context.ts";
import { escapeHtml, page } from "../pages/html.ts";

function hue(seed: string): number {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

function svg(seed: string, label: string): string {
  const h = hue(seed);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},70%,60%)"/><stop offset="1" stop-color="hsl(${(h + 60) % 360},70%,45%)"/></linearGradient></defs><rect width="320" height="320" fill="url(#g)"/><text x="160" y="170" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">${escapeHtml(label)}</text></svg>`;
}

const SVG_HEADERS = { "content-type": "image/svg+xml", "cache-control": "private, max-age=3600" };

/** Tiny SVG media and avatars for the demo grid; media URLs expire at their `oe` (hex seconds). */
export function cdnRoutes(ctx: FakeContext): Hono {
  const app = new Hono();

  app.get("/cdn/avatar/:file", (c) => {
    const id = c.req.param("file").replace(/\.svg$/, "");
    return c.body(svg(id, "@"), 200, SVG_HEADERS);
  });

  app.get("/cdn/:file", (c) => {
    const oe = c.req.query("oe");
    const expiresMs = oe && /^[0-9A-Fa-f]+$/.test(oe) ? Number.parseInt(oe, 16) * 1000 : Number.NaN;
    if (!(expiresMs > ctx.state.clock.now())) return c.text("URL signature expired", 403);
    const id = c.req.param("file").replace(/\.svg$/, "");
    return c.body(svg(id, id.endsWith("_thumb") ? "▶" : `#${id.slice(-3)}`), 200, SVG_HEADERS);
  });

  app.get("/p/:shortcode/", (c) =>
    c.html(
      page(
        "Fake Instagram post",
        `<h1>Fake Instagram</h1><p>Post ${escapeHtml(c.req.param("shortcode"))}</p>`,
      ),
    ),
  );

  return app;
}
