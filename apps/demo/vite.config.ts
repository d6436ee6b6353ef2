import react from "@vitejs/plugin-react";
import { type Connect, defineConfig, loadEnv, type Plugin, type ProxyOptions } from "vite";

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

// The time machine (src/time-machine.tsx) reaches the fake Instagram's control API and the relay's
// cron route same-origin through these proxies; `pnpm dev` and the e2e stack set the VITE_* URLs.
function devProxies(env: Record<string, string>): Record<string, ProxyOptions> {
  const fake = env.VITE_FAKE_URL || "http://localhost:8788";
  const relay = env.VITE_RELAY_URL || "http://localhost:8787";
  return {
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
    server: { port: 5173, strictPort: true, proxy },
    preview: { port: 5173, strictPort: true, proxy },
  };
});
