import { parseArgs } from "node:util";
import { API_OPERATIONS, type ApiKeyView, type ApiOperation, isApiOperation } from "@instagram-connect/types";
import { createAdminClient } from "./admin-client.ts";
import type { FetchLike, RelayResult } from "./relay-client.ts";

/** The environment variable the CLI reads the admin secret from (never a flag: flags land in shell history). */
export const ADMIN_SECRET_ENV = "INSTAGRAM_CONNECT_ADMIN_SECRET";
/** Optional default for `--relay`. */
export const RELAY_URL_ENV = "INSTAGRAM_CONNECT_RELAY_URL";

/** What the CLI talks to; tests pass a mock fetch and capture the output. */
export interface CliIo {
  env: Record<string, string | undefined>;
  fetch?: FetchLike;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const USAGE = `usage: instagram-connect-client keys <create|list|revoke> --relay <url> [options]
  keys create --name <name> --ops <op,op,...>   prints the new API key once
  keys list [--json]                            metadata only
  keys revoke <keyId>
The admin secret is read from ${ADMIN_SECRET_ENV} (the relay's ADMIN_SECRET); --relay defaults to ${RELAY_URL_ENV}.
Operations: ${API_OPERATIONS.join(", ")}`;

class UsageError extends Error {}

/**
 * Runs `keys create|list|revoke` against a relay's admin API. Resolves to the exit code:
 * 0 done, 1 the relay refused (its error code is printed), 2 a usage error (nothing sent).
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), { env: process.env, stdout: console.log, stderr: console.error });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}`);
      io.stderr(USAGE);
      return 2;
    }
    // Only a network failure throws from the client: one line, no stack trace.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    io.stderr(
      `error: could not reach the relay (${error instanceof Error ? error.message : String(error)}${cause})`,
    );
    return 1;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  for (const arg of argv) {
    if (/^--(admin-?)?secret(=|$)/.test(arg)) {
      throw new UsageError(`pass the admin secret in ${ADMIN_SECRET_ENV}, not as a flag`);
    }
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : "bad arguments");
  }
  const { values, positionals } = parsed;
  const [group, command, ...rest] = positionals;
  if (group !== "keys" || !command) throw new UsageError("expected `keys create|list|revoke`");
  const relay = values.relay ?? io.env[RELAY_URL_ENV];
  if (!relay || !/^https?:\/\/[^/]/.test(relay))
    throw new UsageError("--relay <https://relay.example.com> is required");
  const adminSecret = io.env[ADMIN_SECRET_ENV];
  if (!adminSecret) throw new UsageError(`${ADMIN_SECRET_ENV} is not set`);
  const admin = createAdminClient({ baseUrl: relay, adminSecret, ...(io.fetch ? { fetch: io.fetch } : {}) });

  if (command === "create") {
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}`);
    const name = values.name?.trim();
    if (!name) throw new UsageError("--name is required");
    const operations = parseOperations(values.ops);
    const made = await admin.createApiKey({ name, operations });
    if (!made.ok) return refused(made, io);
    io.stderr(`Created ${made.data.key.keyId} (${made.data.key.name}) with ${operations.join(", ")}.`);
    io.stderr("API key (shown once; only its hash is stored):");
    io.stdout(made.data.apiKey);
    return 0;
  }
  if (command === "list") {
    const items: ApiKeyView[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.listApiKeys({ limit: 100, ...(cursor ? { cursor } : {}) });
      if (!page.ok) return refused(page, io);
      items.push(...page.data.items);
      cursor = page.data.nextCursor ?? undefined;
    } while (cursor);
    if (values.json) io.stdout(JSON.stringify(items, null, 2));
    else if (items.length === 0) io.stdout("No API keys.");
    else for (const key of items) io.stdout(describe(key));
    return 0;
  }
  if (command === "revoke") {
    const keyId = rest[0];
    if (!keyId || rest.length > 1) throw new UsageError("usage: keys revoke <keyId>");
    const revoked = await admin.revokeApiKey(keyId);
    if (!revoked.ok) return refused(revoked, io);
    io.stdout(
      `Revoked ${keyId} (${revoked.data.key.name}). Every location refuses it within about 60 seconds.`,
    );
    return 0;
  }
  throw new UsageError(`unknown command keys ${command}`);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      relay: { type: "string" },
      name: { type: "string" },
      ops: { type: "string" },
      json: { type: "boolean" },
    },
  });
}

/** `--ops a,b`: checked against the types package's one list before anything is sent. */
function parseOperations(raw: string | undefined): ApiOperation[] {
  const requested = [
    ...new Set(
      (raw ?? "")
        .split(",")
        .map((op) => op.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = requested.filter((op) => !isApiOperation(op));
  if (requested.length === 0 || unknown.length > 0) {
    const detail = unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : "";
    throw new UsageError(`--ops must list operations from: ${API_OPERATIONS.join(", ")}${detail}`);
  }
  return requested.filter(isApiOperation);
}

function describe(key: ApiKeyView): string {
  const state = key.revoked ? `revoked ${key.revokedAt ?? ""}`.trim() : "active";
  return `${key.keyId}  ${key.name}  [${key.operations.join(",")}]  created ${key.createdAt}  ${state}`;
}

function refused(result: Extract<RelayResult<unknown>, { ok: false }>, io: CliIo): number {
  const hint =
    result.error.code === "not_found"
      ? " (is ADMIN_SECRET set on the relay? `wrangler secret put ADMIN_SECRET`)"
      : result.error.code === "unauthorized"
        ? ` (check ${ADMIN_SECRET_ENV})`
        : "";
  io.stderr(`error: ${result.error.code} (${result.status}): ${result.error.message}${hint}`);
  return 1;
}
