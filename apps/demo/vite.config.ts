import react from "@vitejs/plugin-react";
import { type Connect, defineConfig, type Plugin } from "vite";

// `?coop` serves the page with `Cross-Origin-Opener-Policy: same-origin`, which cuts the popup's
// `window.opener`: the widget must then learn the result by polling the relay (S13). The e2e
// tests use it, and anyone can try it by hand.
const coopOnRequest: Connect.NextHandleFunction = (req, res, next) => {
  if (new URL(req.url ?? "/", "http://demo").searchParams.has("coop")) {
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  }
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
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
});
