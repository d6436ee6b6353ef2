import { Hono } from "hono";
import { cdnSignature } from "../cdn-sign.ts";
import type { FakeContext } from "../context.ts";
import { escapeHtml, page } from "../pages/html.ts";
import { solidPng } from "../png.ts";

function hue(seed: string): number {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

function svg(seed: string, label: string): string {
  const h = hue(seed);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${h},70%,60%)"/><stop offset="1" stop-color="hsl(${(h + 60) % 360},70%,45%)"/></linearGradient></defs><rect width="320" height="320" fill="url(#g)"/><text x="160" y="170" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">${escapeHtml(label)}</text></svg>`;
}

/** An RGB colour derived from `seed`, so each media item's PNG differs. */
function rgb(seed: string): [number, number, number] {
  const h = hue(seed);
  return [(h * 7) % 256, (h * 13 + 80) % 256, (h * 29 + 160) % 256];
}

const SVG_HEADERS = { "content-type": "image/svg+xml", "cache-control": "private, max-age=3600" };
const PNG_HEADERS = { "content-type": "image/png", "cache-control": "private, max-age=3600" };

/**
 * Media tiles and avatars. Media URLs carry `oe` (expiry, hex seconds) and `oh` (signature over path
 * and `oe`); like Instagram's CDN they answer 403 once expired or when edited.
 */
export function cdnRoutes(ctx: FakeContext): Hono {
  const app = new Hono();

  app.get("/cdn/avatar/:file", (c) => {
    const id = c.req.param("file").replace(/\.svg$/, "");
    return c.body(svg(id, "@"), 200, SVG_HEADERS);
  });

  app.get("/cdn/:file", (c) => {
    const file = c.req.param("file");
    const oe = c.req.query("oe") ?? "";
    const expiresMs = /^[0-9A-Fa-f]+$/.test(oe) ? Number.parseInt(oe, 16) * 1000 : Number.NaN;
    if (Number.isNaN(expiresMs)) return c.text("Bad URL date param", 403);
    if (c.req.query("oh") !== cdnSignature(ctx.state.clientSecret, file, oe)) {
      return c.text("Invalid URL Signature", 403);
    }
    if (!(expiresMs > ctx.state.clock.now())) return c.text("URL signature expired", 403);
    const match = /^(.+)\.(svg|png)$/.exec(file);
    if (!match?.[1]) return c.text("Not found", 404);
    const id = match[1];
    if (match[2] === "png") return c.body(solidPng(rgb(id)), 200, PNG_HEADERS);
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
