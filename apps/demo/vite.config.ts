import react from "@vitejs/plugin-react";
import { type Connect, defineConfig, type Plugin } from "vite";

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

export default defineConfig({
  plugins: [react(), coopSwitch],
  // The demo, and the page showing every widget state side by side.
  build: { rollupOptions: { input: { main: "index.html", states: "states.html" } } },
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
});
