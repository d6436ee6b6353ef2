import react from "@vitejs/plugin-react";
import { type Connect, defineConfig, loadEnv, type Plugin, type ProxyOptions } from "vite";

// `?csp` serves the page under a strict style policy (`style-src 'self'`: no inline styles or
// style attributes), as a site with a strict CSP would: the widget must look the same.
const STRICT_STYLE_CSP = "style-src 'self'";

// `?coop` serves the page with `Cross-Origin-Opener-Policy: same-origin`, which cuts the popup's
// `window.opener`: the widget must then learn the result by polling the relay (S13). The e2e
// tests use it, and anyone can try it by hand.
const coopOnRequest: Connect.NextHandleFunction = (req, res, next) => {
  const params = new URL(req.url ?? "/", "http://demo").searchParams;
  if (params.has("coop")) {
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }
  if (params.has("csp")) res.setHeader("Content-Security-Policy", STRICT_STYLE_CSP);
  next();
};

const coopSwitch: Plugin = {
  name: "demo-coop-switch",
  configureServer: (server) => {
    server.middlewares.use(coopOnRequest);
  },
  configurePreviewServer: (server) => {
    server.middlewares.use(coopOnRequest);
  },
};

// The time machine (src/time-machine.tsx) reaches the fake Instagram's control API and the relay's
// cron route same-origin through these proxies, and the site's pages reach their backend
// (server/main.ts) at /demo-api, so its sign-in cookie is first-party; `pnpm dev` and the e2e stack
// set the VITE_* URLs.
function devProxies(env: Record<string, string>): Record<string, ProxyOptions> {
  const fake = env.VITE_FAKE_URL || "http://localhost:8788";
  const relay = env.VITE_RELAY_URL || "http://localhost:8787";
  const api = env.VITE_DEMO_API_URL || "http://127.0.0.1:5174";
  return {
    // No changeOrigin: the backend checks the page's Origin against the site's own (CSRF).
    "/demo-api": { target: api },
    "/__fake": { target: fake, changeOrigin: true },
    "/__relay/__scheduled": {
      target: relay,
      changeOrigin: true,
      rewrite: (path) => path.replace(/^\/__relay/, ""),
    },
  };
}

export default defineConfig(({ mode }) => {
  const proxy = devProxies(loadEnv(mode, ".", "VITE_"));
  return {
    plugins: [react(), coopSwitch],
    // The demo, the page showing every widget state side by side, the site with a backend (two demo
    // users, "Your feed", "Publish") and the visitor page of a public feed.
    build: {
      rollupOptions: {
        input: { main: "index.html", states: "states.html", site: "site.html", feed: "feed.html" },
      },
    },
    server: { port: 5173, strictPort: true, proxy },
    preview: { port: 5173, strictPort: true, proxy },
  };
});
