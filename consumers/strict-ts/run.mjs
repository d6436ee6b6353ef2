// The client and the types from plain Node ESM (no bundler, no TypeScript), against a local HTTP server
// that answers like the relay's app API. Exit code 0 = every assertion held.
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createRelayClient, signWebhook, verifyWebhook } from "@instagram-connect/client";
import { ERROR_CODES, ERROR_STATUS, isRelayError, ROUTES, WEBHOOK_HEADERS } from "@instagram-connect/types";

const seen = [];
const server = createServer((req, res) => {
  seen.push({ url: req.url, authorization: req.headers.authorization });
  res.setHeader("content-type", "application/json");
  if (req.url?.startsWith("/v1/api/connections?")) {
    res.end(JSON.stringify({ items: [{ id: "c1", profile: { username: "jane.doe" } }], nextCursor: null }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { code: "not_found", message: "No such route." } }));
  }
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address();

try {
  const relay = createRelayClient({ baseUrl: `http://127.0.0.1:${port}/`, apiKey: "ic_test" });
  const page = await relay.listConnections({ limit: 5 });
  assert.equal(page.ok, true, JSON.stringify(page));
  assert.equal(page.data.items[0].profile.username, "jane.doe");
  assert.equal(seen[0].authorization, "Bearer ic_test");

  const missing = await relay.graph("c1", "me");
  assert.equal(missing.ok, false);
  assert.equal(missing.error.code, "not_found");
  assert.ok(isRelayError({ error: missing.error }));

  const body = JSON.stringify({
    id: "evt_1",
    type: "connection.created",
    createdAt: new Date().toISOString(),
    data: { connectionId: "c1" },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: await signWebhook("whsec", timestamp, body),
  };
  const verified = await verifyWebhook({ body, headers, secret: "whsec" });
  assert.equal(verified.ok, true, JSON.stringify(verified));
  assert.equal((await verifyWebhook({ body, headers, secret: "other" })).ok, false);

  assert.ok(ERROR_CODES.length > 10 && ERROR_CODES.every((code) => ERROR_STATUS[code] >= 400));
  assert.equal(ROUTES.connectionMe, "/v1/connections/me");

  // The react entry loads in Node too (server rendering imports it).
  const react = await import("@instagram-connect/react");
  assert.equal(typeof react.InstagramConnect, "function");

  // Every subpath in each package's "exports" resolves to a file that is there (JavaScript ones load).
  const require = createRequire(import.meta.url);
  for (const name of ["types", "client", "react"]) {
    const pkg = require(`@instagram-connect/${name}/package.json`);
    assert.equal(pkg.name, `@instagram-connect/${name}`);
    for (const subpath of Object.keys(pkg.exports)) {
      const specifier = `@instagram-connect/${name}${subpath.slice(1)}`;
      const file = fileURLToPath(import.meta.resolve(specifier));
      assert.ok(existsSync(file), `${specifier} -> ${file}`);
      if (file.endsWith(".js")) await import(specifier);
    }
  }
  console.log("node ESM: client, types and react load and work from the tarballs");
} finally {
  server.close();
}
