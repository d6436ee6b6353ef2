// The three local services and how each learns the others' URLs. Shared by `pnpm dev` (scripts/dev.mjs,
// ports from FAKE_PORT / RELAY_PORT / DEMO_PORT) and the e2e stack (apps/demo/e2e/support/stack.mjs,
// free ports), so the relay's redirect URI, allowed origins and Instagram endpoints always follow the
// ports actually used.

/** The standard `pnpm dev` ports. */
export const DEFAULT_PORTS = { fake: 8788, relay: 8787, demo: 5173, api: 5174 };

/** The environment variable that moves each service. */
export const PORT_ENV = { fake: "FAKE_PORT", relay: "RELAY_PORT", demo: "DEMO_PORT", api: "DEMO_API_PORT" };

/** Ports from FAKE_PORT / RELAY_PORT / DEMO_PORT, else the defaults. Throws on a value that is no port. */
export function portsFromEnv(env = process.env) {
  const ports = {};
  for (const [service, name] of Object.entries(PORT_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      ports[service] = DEFAULT_PORTS[service];
      continue;
    }
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${name}=${raw} is not a TCP port`);
    ports[service] = port;
  }
  if (new Set(Object.values(ports)).size !== Object.keys(PORT_ENV).length)
    throw new Error(`the ports must differ: ${JSON.stringify(ports)}`);
  return ports;
}

/**
 * Base URLs (always `localhost`, the host the relay's allowlists name). `api` is the demo site's
 * backend, which listens on 127.0.0.1 only and is reached through the demo's `/demo-api` proxy.
 */
export function urlsFor(ports) {
  return {
    fake: `http://localhost:${ports.fake}`,
    relay: `http://localhost:${ports.relay}`,
    demo: `http://localhost:${ports.demo}`,
    api: `http://127.0.0.1:${ports.api}`,
  };
}

/** The relay variables that depend on where the fake and the demo run (override wrangler.jsonc's). */
export function relayVars(urls) {
  return {
    INSTAGRAM_REDIRECT_URI: `${urls.relay}/v1/oauth/callback`,
    INSTAGRAM_AUTHORIZE_URL: `${urls.fake}/oauth/authorize`,
    INSTAGRAM_API_BASE: urls.fake,
    INSTAGRAM_GRAPH_BASE: urls.fake,
    ALLOWED_ORIGINS: urls.demo,
    ALLOWED_RETURN_TO: `${urls.demo}/`,
  };
}

/** The fake Instagram's environment: its port and the relay callback it accepts. */
export function fakeEnv(ports, urls) {
  return {
    PORT: String(ports.fake),
    FAKE_IG_REDIRECT_URIS: `${urls.relay}/v1/oauth/callback`,
    // Real PNG bytes like Instagram's CDN: public feeds copy raster images only (never SVG).
    FAKE_IG_CDN_FORMAT: "png",
    // The local relay serves publishing uploads over plain http: let the fake download them.
    FAKE_IG_INSECURE_MEDIA_ORIGINS: urls.relay,
  };
}

/**
 * The demo's build/dev environment (Vite exposes VITE_* to the page; VITE_DEMO_API_URL is read by
 * vite.config.ts only, as the `/demo-api` proxy target).
 */
export function demoEnv(urls) {
  return { VITE_RELAY_URL: urls.relay, VITE_FAKE_URL: urls.fake, VITE_DEMO_API_URL: urls.api };
}

/**
 * The demo site backend's environment (apps/demo/server/main.ts). `adminSecret` is the relay's
 * ADMIN_SECRET: the backend creates its own API key with it at start; it never reaches a browser.
 */
export function demoApiEnv(ports, urls, adminSecret) {
  return {
    DEMO_API_PORT: String(ports.api),
    RELAY_URL: urls.relay,
    DEMO_ORIGIN: urls.demo,
    RELAY_ADMIN_SECRET: adminSecret,
  };
}

/** Environment for wrangler: no metrics, no error reports, no request.cf download (quiet offline). */
export const QUIET_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  // miniflare fetches request.cf data from workers.cloudflare.com at start (ENOTFOUND stack traces
  // offline); false uses its built-in fallback object.
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
