import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { optionsFromEnv } from "../src/server.ts";

const serverPath = fileURLToPath(new URL("../src/server.ts", import.meta.url));
let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
  child = undefined;
});

/** Starts `node src/server.ts` on a free port and resolves to the URL it prints. */
async function startServer(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, [serverPath], {
    env: { ...process.env, PORT: "0", ...env },
    stdio: "pipe",
  });
  let output = "";
  for await (const chunk of child.stdout ?? []) {
    output += String(chunk);
    const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
    if (match?.[1]) return match[1];
  }
  throw new Error(`server exited without a URL: ${output}`);
}

describe("src/server.ts", () => {
  it("serves the fake over real HTTP with env config and the /__fake control API, and exits on SIGTERM", async () => {
    const url = await startServer({
      FAKE_IG_CLIENT_ID: "env-client",
      FAKE_IG_REDIRECT_URIS: "http://localhost:9999/cb, http://localhost:9999/cb2",
    });
    const page = await fetch(
      `${url}/oauth/authorize?client_id=env-client&redirect_uri=${encodeURIComponent("http://localhost:9999/cb2")}&response_type=code&scope=instagram_business_basic`,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="allow"');

    const approve = await fetch(`${url}/__fake/approve`, {
      method: "POST",
      body: JSON.stringify({
        redirectUri: "http://localhost:9999/cb",
        scope: "instagram_business_basic",
        state: "x",
      }),
    });
    expect(((await approve.json()) as { url: string }).url).toMatch(
      /^http:\/\/localhost:9999\/cb\?code=AQB.+&state=x#_$/,
    );

    await fetch(`${url}/__fake/faults`, {
      method: "POST",
      body: JSON.stringify({ endpoint: "me", kind: "http_5xx" }),
    });
    expect((await fetch(`${url}/me`)).status).toBe(500);
    expect((await fetch(`${url}/me`)).status).toBe(400);
    const calls = (await (await fetch(`${url}/__fake/calls`)).json()) as { endpoint: string }[];
    expect(calls.map((c) => c.endpoint)).toEqual(["authorize", "me", "me"]);
    const signed = (await (
      await fetch(`${url}/__fake/signed-request`, { method: "POST", body: JSON.stringify({ userId: "123" }) })
    ).json()) as { signed_request: string };
    expect(signed.signed_request).toMatch(/^[\w-]+\.[\w-]+$/);
    const bad = await fetch(`${url}/__fake/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "nope" }),
    });
    expect(bad.status).toBe(400);

    const exiting = once(child as ChildProcess, "exit");
    child?.kill("SIGTERM");
    const [code] = await exiting;
    expect(code).toBe(0);
    // Spawning a Node process can take well over vitest's 5 s default on a loaded 2-core CI machine.
  }, 60_000);

  it("optionsFromEnv keeps defaults for unset variables", () => {
    expect(optionsFromEnv({})).toEqual({});
    expect(optionsFromEnv({ FAKE_IG_CLIENT_SECRET: "s", FAKE_IG_REDIRECT_URIS: "a, b," })).toEqual({
      clientSecret: "s",
      redirectUris: ["a", "b"],
    });
    expect(optionsFromEnv({ FAKE_IG_INSECURE_MEDIA_ORIGINS: "http://localhost:8787, " })).toEqual({
      insecureMediaOrigins: ["http://localhost:8787"],
    });
  });
});
