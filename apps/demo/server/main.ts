/**
 * The demo site's backend (`node server/main.ts`), started by `pnpm dev` and the e2e stack. Env:
 * DEMO_API_PORT (default 5174), RELAY_URL, DEMO_ORIGIN (the site's origin) and RELAY_ADMIN_SECRET
 * (the relay's dev ADMIN_SECRET: used once at start to create this server's API key, never sent to
 * a browser). Listens on 127.0.0.1 only; the site reaches it through Vite's `/demo-api` proxy.
 */
import { randomBytes } from "node:crypto";
import { serve } from "@hono/node-server";
import { createRelayClient } from "@instagram-connect/client";
import { createDemoApp } from "./demo-app.ts";
import { obtainApiKey } from "./relay-api-key.ts";

const port = Number(process.env.DEMO_API_PORT ?? 5174);
const relayUrl = (process.env.RELAY_URL ?? "http://localhost:8787").replace(/\/+$/, "");
const siteOrigin = process.env.DEMO_ORIGIN ?? "http://localhost:5173";
const adminSecret = process.env.RELAY_ADMIN_SECRET ?? "";

if (!adminSecret) {
  console.error("[demo-api] RELAY_ADMIN_SECRET is not set: it must be the relay's ADMIN_SECRET");
  process.exit(1);
}

const key = await obtainApiKey({ relayUrl, adminSecret });
const relay = createRelayClient({ baseUrl: relayUrl, apiKey: key.apiKey });
const app = createDemoApp({
  relay,
  relayUrl,
  siteOrigin,
  cookieSecret: randomBytes(32).toString("base64url"),
});

const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`[demo-api] listening on http://127.0.0.1:${info.port} (API key ${key.keyId})`);
});

// The key is this process's alone: revoke it on the way out so restarts do not pile up live keys.
let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  await key.revoke().catch(() => undefined);
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
