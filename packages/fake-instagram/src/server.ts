/**
 * Dev server: `node src/server.ts` serves the fake Instagram on 127.0.0.1 (and ::1 when available) at
 * PORT (default 8788), with the dev-only control API under `/__fake`. Env: FAKE_IG_CLIENT_ID,
 * FAKE_IG_CLIENT_SECRET, FAKE_IG_REDIRECT_URIS (comma list), FAKE_IG_CDN_FORMAT (svg|png),
 * FAKE_IG_WEBHOOK_URL, FAKE_IG_INSECURE_MEDIA_ORIGINS (comma list). The only file that uses Node APIs.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { createControlApi } from "./control-api.ts";
import type { FakeInstagram } from "./fake-instagram.ts";
import { createFakeInstagram } from "./fake-instagram.ts";
import type { FakeInstagramOptions } from "./types.ts";

/** A listening dev server. */
export interface FakeServer {
  url: string;
  port: number;
  fake: FakeInstagram;
  close(): Promise<void>;
}

/** Fake options from FAKE_IG_* environment variables (unset ones keep the defaults). */
export function optionsFromEnv(env: Record<string, string | undefined>): FakeInstagramOptions {
  const options: FakeInstagramOptions = {};
  if (env.FAKE_IG_CLIENT_ID) options.clientId = env.FAKE_IG_CLIENT_ID;
  if (env.FAKE_IG_CLIENT_SECRET) options.clientSecret = env.FAKE_IG_CLIENT_SECRET;
  const uris = env.FAKE_IG_REDIRECT_URIS?.split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (uris && uris.length > 0) options.redirectUris = uris;
  if (env.FAKE_IG_CDN_FORMAT === "png" || env.FAKE_IG_CDN_FORMAT === "svg") {
    options.cdnImageFormat = env.FAKE_IG_CDN_FORMAT;
  }
  if (env.FAKE_IG_WEBHOOK_URL) options.webhookCallbackUrl = env.FAKE_IG_WEBHOOK_URL;
  const insecure = env.FAKE_IG_INSECURE_MEDIA_ORIGINS?.split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (insecure && insecure.length > 0) options.insecureMediaOrigins = insecure;
  return options;
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, host: string) {
  const server = createAdaptorServer({ fetch }) as Server;
  return new Promise<Server>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts the fake (with its control API) on `port` (0 picks a free one). */
export async function startFakeServer(port: number, options: FakeInstagramOptions = {}): Promise<FakeServer> {
  const fake = createFakeInstagram(options);
  const root = new Hono();
  root.route("/__fake", createControlApi(fake));
  root.all("*", (c) => fake.app.fetch(c.req.raw));
  const servers = [await listen(root.fetch, port, "127.0.0.1")];
  const actualPort = (servers[0]?.address() as AddressInfo | null)?.port ?? port;
  // `localhost` may resolve to ::1 first (workerd, some distros): answer there too when IPv6 exists.
  await listen(root.fetch, actualPort, "::1").then(
    (server) => servers.push(server),
    () => undefined,
  );
  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    fake,
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 8788);
  const options = optionsFromEnv(process.env);
  const server = await startFakeServer(Number.isInteger(port) && port >= 0 ? port : 8788, options);
  console.log(
    `fake-instagram listening on ${server.url} (client_id ${options.clientId ?? "fake-client-id"})`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
