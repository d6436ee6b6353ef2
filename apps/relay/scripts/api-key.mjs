#!/usr/bin/env node
// Manages the relay's API keys in the CONNECTIONS KV namespace through `wrangler kv`.
//
//   pnpm --filter @instagram-connect/relay api-key create --name analytics --ops connections:read,media:read [--local|--remote]
//   pnpm --filter @instagram-connect/relay api-key list [--local|--remote]
//   pnpm --filter @instagram-connect/relay api-key revoke <keyId> [--local|--remote]
//
// Local (the `wrangler dev` state) unless --remote. Extra flags passed to wrangler: --env <name>,
// --persist-to <dir>. The key is printed once and never stored: KV holds only its SHA-256.
// Revocation reaches every location within KV's propagation lag (up to about 60 seconds).
// Without the monorepo (a deployed relay with ADMIN_SECRET set), use the client's CLI instead:
//   ADMIN_SECRET=... npx @instagram-connect/client keys create --relay https://relay.example.com ...
import "../../../scripts/require-node.mjs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

// TypeScript sources load after the Node version check (Node < 22.18 cannot load them at all).
const { API_OPERATIONS } = await import("@instagram-connect/types");
const { apiKeyKvKey, generateApiKey, hashApiKey } = await import("../src/api/api-key-format.ts");
const { KV_PREFIXES } = await import("../src/storage/kv-keys.ts");
// The same input schema as POST /v1/admin/api-keys, so the script and the admin route agree.
const { createApiKeySchema } = await import("../src/request-schemas.ts");

const WRANGLER = fileURLToPath(new URL("../node_modules/.bin/wrangler", import.meta.url));
const RELAY_DIR = fileURLToPath(new URL("..", import.meta.url));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    ops: { type: "string" },
    local: { type: "boolean" },
    remote: { type: "boolean" },
    env: { type: "string" },
    "persist-to": { type: "string" },
  },
});

function fail(message) {
  console.error(`api-key: ${message}`);
  process.exit(1);
}

if (values.local && values.remote) fail("choose --local or --remote, not both");
const target = [values.remote ? "--remote" : "--local"];
if (values.env) target.push("--env", values.env);
if (values["persist-to"]) target.push("--persist-to", values["persist-to"]);

function wrangler(args) {
  return execFileSync(WRANGLER, ["kv", "key", ...args, "--binding", "CONNECTIONS", ...target], {
    cwd: RELAY_DIR,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
  });
}

function readRecord(keyId) {
  try {
    return JSON.parse(wrangler(["get", apiKeyKvKey(keyId), "--text"]));
  } catch {
    return null;
  }
}

async function create() {
  const requested = [
    ...new Set(
      (values.ops ?? "")
        .split(",")
        .map((op) => op.trim())
        .filter(Boolean),
    ),
  ];
  const parsed = createApiKeySchema.safeParse({ name: values.name ?? "", operations: requested });
  if (!parsed.success) {
    const fields = new Set(parsed.error.issues.map((issue) => issue.path[0]));
    if (fields.has("name")) fail("--name is required (letters, digits, space, . _ -; up to 64)");
    const unknown = requested.filter((op) => !API_OPERATIONS.includes(op));
    fail(
      `--ops must list operations from: ${API_OPERATIONS.join(", ")}${unknown.length ? ` (unknown: ${unknown.join(", ")})` : ""}`,
    );
  }
  const { name, operations } = parsed.data;
  const { keyId, apiKey } = generateApiKey();
  const record = {
    v: 1,
    keyId,
    name,
    operations,
    hash: await hashApiKey(apiKey),
    createdAt: new Date().toISOString(),
    revoked: false,
    revokedAt: null,
  };
  wrangler(["put", apiKeyKvKey(keyId), JSON.stringify(record)]);
  console.log(`Created ${keyId} (${name}) with ${operations.join(", ")} in ${target[0].slice(2)} KV.`);
  console.log("API key (shown once; only its hash is stored):");
  console.log(apiKey);
}

function list() {
  const keys = JSON.parse(wrangler(["list", "--prefix", KV_PREFIXES.apiKey]));
  if (keys.length === 0) return console.log("No API keys.");
  for (const { name } of keys) {
    const record = readRecord(name.slice(KV_PREFIXES.apiKey.length));
    if (!record) continue;
    const state = record.revoked ? `revoked ${record.revokedAt ?? ""}`.trim() : "active";
    console.log(
      `${record.keyId}  ${record.name}  [${record.operations.join(",")}]  created ${record.createdAt}  ${state}`,
    );
  }
}

function revoke() {
  const keyId = positionals[1];
  if (!keyId || !/^key_[A-Za-z0-9_-]{22}$/.test(keyId)) fail("usage: api-key revoke <keyId> (key_...)");
  const record = readRecord(keyId);
  if (!record) fail(`no key ${keyId} in ${target[0].slice(2)} KV`);
  record.revoked = true;
  record.revokedAt = new Date().toISOString();
  wrangler(["put", apiKeyKvKey(keyId), JSON.stringify(record)]);
  console.log(`Revoked ${keyId} (${record.name}). Edge caches drop it within about 60 seconds.`);
}

const command = positionals[0];
if (command === "create") await create();
else if (command === "list") list();
else if (command === "revoke") revoke();
else fail("usage: api-key <create|list|revoke> [options] (see the header of scripts/api-key.mjs)");
