import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ApiKeyView, CreateApiKeyResponse } from "@instagram-connect/types";
import { describe, expect, it } from "vitest";
import { ADMIN_SECRET_ENV, runCli } from "../src/cli.ts";

const SECRET = "admin-secret-0123456789abcdefghijklmnop";
const RELAY = "https://relay.test";
const view: ApiKeyView = {
  keyId: "key_AAAAAAAAAAAAAAAAAAAAAA",
  name: "analytics",
  operations: ["connections:read", "media:read"],
  createdAt: "2026-12-01T00:00:00.000Z",
  revoked: false,
  revokedAt: null,
};
const apiKey = `${view.keyId}.${"B".repeat(43)}`;

/** Runs the CLI against a mock relay; returns the exit code, output and the requests it got. */
async function cli(
  argv: string[],
  answer: (request: Request) => Response,
  env: Record<string, string> = { [ADMIN_SECRET_ENV]: SECRET },
) {
  const requests: { request: Request; body: string }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push({ request, body: await request.clone().text() });
      return answer(request);
    },
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), requests };
}

const never = () => {
  throw new Error("the CLI must not call the relay on a usage error");
};

describe("instagram-connect-client keys", () => {
  it("checks the Node version before loading anything (one line, exit 1)", () => {
    const bin = fileURLToPath(new URL("../bin/instagram-connect-client.mjs", import.meta.url));
    const run = spawnSync(process.execPath, [bin, "keys", "list"], {
      env: { ...process.env, INSTAGRAM_CONNECT_NODE_VERSION: "v20.19.0" },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("@instagram-connect/client CLI needs Node >= 22 (found v20.19.0).");
  });

  it("refuses bad arguments with exit 2 and sends nothing", async () => {
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [["keys", "create", "--relay", RELAY, "--ops", "connections:read"], /--name is required/],
      [["keys", "create", "--relay", RELAY, "--name", "a"], /--ops must list/],
      [
        ["keys", "create", "--relay", RELAY, "--name", "a", "--ops", "connections:read,media:write"],
        /unknown: media:write/,
      ],
      [["keys", "create", "--name", "a", "--ops", "media:read"], /--relay/],
      [["keys", "list", "--relay", RELAY, "--secret", SECRET], /not as a flag/],
      [["keys", "list", "--relay", RELAY, `--admin-secret=${SECRET}`], /not as a flag/],
      [["keys", "list", "--relay", RELAY, "--bogus"], /Unknown option/],
      [["keys", "revoke", "--relay", RELAY], /keys revoke <keyId>/],
      [["keys", "rotate", "--relay", RELAY], /unknown command/],
      [["connections", "list"], /expected `keys/],
      [["keys", "list", "--relay", RELAY], /INSTAGRAM_CONNECT_ADMIN_SECRET is not set/, {}],
    ];
    for (const [argv, message, env] of cases) {
      const result = await cli(argv, never, env);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).not.toContain(SECRET);
      expect(result.requests).toHaveLength(0);
    }
  });

  it("creates a key: the secret only in the Authorization header, the key alone on stdout", async () => {
    const created: CreateApiKeyResponse = { apiKey, key: view };
    const result = await cli(
      [
        "keys",
        "create",
        "--relay",
        `${RELAY}/`,
        "--name",
        "analytics",
        "--ops",
        "connections:read, media:read",
      ],
      () => Response.json(created, { status: 201 }),
    );
    expect(result.code).toBe(0);
    expect(result.out).toBe(apiKey);
    const [sent] = result.requests;
    expect(sent?.request.method).toBe("POST");
    expect(sent?.request.url).toBe(`${RELAY}/v1/admin/api-keys`);
    expect(sent?.request.headers.get("Authorization")).toBe(`Bearer ${SECRET}`);
    expect(JSON.parse(sent?.body ?? "")).toEqual({
      name: "analytics",
      operations: ["connections:read", "media:read"],
    });
    expect(`${result.out}${result.err}`).not.toContain(SECRET);
  });

  it("lists every page and revokes by id", async () => {
    const second = {
      ...view,
      keyId: "key_CCCCCCCCCCCCCCCCCCCCCC",
      name: "old",
      revoked: true,
      revokedAt: view.createdAt,
    };
    const list = await cli(["keys", "list", "--relay", RELAY], (request) =>
      new URL(request.url).searchParams.get("cursor")
        ? Response.json({ items: [second], nextCursor: null })
        : Response.json({ items: [view], nextCursor: "page2" }),
    );
    expect(list.code).toBe(0);
    expect(list.out).toContain("key_AAAAAAAAAAAAAAAAAAAAAA  analytics  [connections:read,media:read]");
    expect(list.out).toContain("key_CCCCCCCCCCCCCCCCCCCCCC  old");
    expect(list.out).toContain("revoked");
    expect(list.requests).toHaveLength(2);

    const revoke = await cli(["keys", "revoke", view.keyId, "--relay", RELAY], () =>
      Response.json({ revoked: true, key: { ...view, revoked: true } }),
    );
    expect(revoke.code).toBe(0);
    expect(revoke.requests[0]?.request.method).toBe("DELETE");
    expect(revoke.requests[0]?.request.url).toBe(`${RELAY}/v1/admin/api-keys/${view.keyId}`);
  });

  it("prints the relay's error code with a hint and exits 1", async () => {
    const disabled = await cli(["keys", "list", "--relay", RELAY], () =>
      Response.json({ error: { code: "not_found", message: "No such route." } }, { status: 404 }),
    );
    expect(disabled.code).toBe(1);
    expect(disabled.err).toMatch(/not_found \(404\).*wrangler secret put ADMIN_SECRET/);
    const wrong = await cli(["keys", "list", "--relay", RELAY], () =>
      Response.json(
        { error: { code: "unauthorized", message: "Missing or invalid credentials." } },
        { status: 401 },
      ),
    );
    expect(wrong.err).toMatch(/unauthorized \(401\).*INSTAGRAM_CONNECT_ADMIN_SECRET/);
    expect(wrong.err).not.toContain(SECRET);
    const offline = await cli(["keys", "list", "--relay", RELAY], () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND relay.test") });
    });
    expect(offline.code).toBe(1);
    expect(offline.err).toBe(
      "error: could not reach the relay (fetch failed: getaddrinfo ENOTFOUND relay.test)",
    );
  });
});
