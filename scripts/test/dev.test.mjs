// `pnpm dev` as a developer meets it: configurable ports (here free ones, so this runs next to a real
// `pnpm dev` and the e2e stack), a quiet start (no stack trace, no network-lookup noise), the printed
// refresh-sweep command that works, a clear message on a busy port, and a clean Ctrl-C (exit 0, no pnpm
// error lines, nothing left listening).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort, portTaken } from "../port-taken.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));

function startDev(env) {
  // Its own process group, like a terminal's foreground job: Ctrl-C = SIGINT to the whole group.
  const child = spawn("pnpm", ["dev"], {
    cwd: root,
    env: { ...process.env, ...env, FORCE_COLOR: "0", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const run = { child, output: "" };
  child.stdout.on("data", (chunk) => {
    run.output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    run.output += chunk;
  });
  return run;
}

async function waitForOutput(run, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output)) {
    if (run.child.exitCode !== null)
      assert.fail(`pnpm dev exited with ${run.child.exitCode}:\n${run.output}`);
    if (Date.now() > deadline) assert.fail(`no ${pattern} after ${timeoutMs / 1000} s:\n${run.output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("pnpm dev refuses a busy port with the variable to set", { timeout: 30_000 }, async () => {
  const squatter = createServer().listen(0, "127.0.0.1");
  await once(squatter, "listening");
  const busy = squatter.address().port;
  try {
    const run = startDev({
      RELAY_PORT: String(busy),
      FAKE_PORT: String(await freePort()),
      DEMO_PORT: String(await freePort()),
      DEMO_API_PORT: String(await freePort()),
    });
    const [code] = await once(run.child, "exit");
    assert.equal(code, 1, run.output);
    assert.match(run.output, new RegExp(`port ${busy} \\(relay; set RELAY_PORT\\) already in use`));
    assert.doesNotMatch(run.output, /ERR_PNPM|\n\s+at /);
  } finally {
    squatter.close();
  }
});

test("pnpm dev on other ports: quiet start, working refresh sweep, the e2e stack beside it, clean Ctrl-C", {
  timeout: 180_000,
}, async () => {
  const ports = {
    FAKE_PORT: await freePort(),
    RELAY_PORT: await freePort(),
    DEMO_PORT: await freePort(),
    DEMO_API_PORT: await freePort(),
  };
  const run = startDev(Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])));
  try {
    await waitForOutput(run, /demo is running: open (\S+)/, 150_000);
    const relay = `http://localhost:${ports.RELAY_PORT}`;
    const demo = `http://localhost:${ports.DEMO_PORT}`;
    assert.match(run.output, new RegExp(`open ${demo}`));

    // The relay follows the ports: the demo's origin is allowed (CORS), the consent start redirects to
    // this run's fake Instagram with this run's callback.
    const preflight = await fetch(`${relay}/v1/connections/me`, {
      method: "OPTIONS",
      headers: { origin: demo, "access-control-request-method": "GET" },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), demo);

    // The demo page is served with the relay URL it should use.
    const page = await (await fetch(`${demo}/src/relay-url.ts`)).text();
    assert.match(page, new RegExp(`localhost:${ports.RELAY_PORT}`), "the demo gets VITE_RELAY_URL");

    // The demo's time machine reaches the fake's clock and the relay's cron route through the demo origin.
    const clock = await (await fetch(`${demo}/__fake/clock`)).json();
    assert.equal(typeof clock.now, "number");
    assert.equal((await fetch(`${demo}/__relay/__scheduled?cron=17+*/6+*+*+*`)).status, 200);

    // The demo site's backend is up behind the demo's /demo-api proxy (it got its API key from the
    // relay's admin route at start): a sign-in works and its cookie reaches the next call.
    const signedIn = await fetch(`${demo}/demo-api/sign-in`, {
      method: "POST",
      headers: { origin: demo, "content-type": "application/json" },
      body: JSON.stringify({ user: "a" }),
    });
    assert.equal(signedIn.status, 200, await signedIn.clone().text());
    const cookie = signedIn.headers.get("set-cookie")?.split(";")[0] ?? "";
    const mine = await fetch(`${demo}/demo-api/connections`, { headers: { cookie } });
    assert.equal(mine.status, 200, await mine.clone().text());
    assert.ok(Array.isArray((await mine.json()).items), "user A's connections, listed by the backend");

    // The relay signs connect receipts under pnpm dev (the backend verifies them): its JWKS has a key.
    const jwks = await (await fetch(`${relay}/.well-known/jwks.json`)).json();
    assert.ok(jwks.keys.length >= 1, "RECEIPT_SIGNING_KEYS from .dev.vars reach the relay");

    // The printed refresh-sweep command works.
    const sweep = /refresh sweep\s+curl "([^"]+)"/.exec(run.output)?.[1];
    assert.ok(sweep, `no refresh sweep line:\n${run.output}`);
    const swept = await fetch(sweep);
    assert.equal(swept.status, 200, await swept.text());

    // The printed API-key commands: the dev ADMIN_SECRET in .dev.vars turns on the admin route, and
    // the key it makes works on the app API at once.
    assert.match(run.output, /API key\s+pnpm --filter @instagram-connect\/relay api-key create/);
    const devVars = readFileSync(join(root, "apps/relay/.dev.vars"), "utf8");
    const adminSecret = /^ADMIN_SECRET=(.+)$/m.exec(devVars)?.[1];
    assert.ok(adminSecret, "pnpm dev writes a dev ADMIN_SECRET to apps/relay/.dev.vars");
    const made = await fetch(`${relay}/v1/admin/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${adminSecret}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "dev-test", operations: ["connections:read"] }),
    });
    assert.equal(made.status, 201, await made.clone().text());
    const { apiKey } = await made.json();
    const listed = await fetch(`${relay}/v1/api/connections`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    assert.equal(listed.status, 200);

    // The e2e stack starts next to it (what `pnpm test` does while `pnpm dev` is up): its own free
    // ports, its own wrangler inspector port and state.
    const { startStack, URLS } = await import("../../apps/demo/e2e/support/stack.mjs");
    const stack = await startStack();
    try {
      assert.notEqual(URLS.relay, relay);
      const health = await fetch(`${URLS.relay}/health`);
      assert.equal(health.status, 200);
      const cors = await fetch(`${URLS.relay}/v1/connections/me`, {
        method: "OPTIONS",
        headers: { origin: URLS.demo, "access-control-request-method": "GET" },
      });
      assert.equal(cors.headers.get("access-control-allow-origin"), URLS.demo);
    } finally {
      await stack.stop();
    }
    assert.equal((await fetch(`${relay}/health`)).status, 200, "pnpm dev's relay is still up");

    // Quiet: no stack trace, no failed lookup, no wrangler error box.
    assert.doesNotMatch(run.output, /\n\s+at \S+ \(|ENOTFOUND|getaddrinfo|\[ERROR\]/, run.output);
  } finally {
    if (run.child.exitCode === null) {
      process.kill(-run.child.pid, "SIGINT");
      const timer = setTimeout(() => process.kill(-run.child.pid, "SIGKILL"), 15_000);
      await once(run.child, "exit").catch(() => {});
      clearTimeout(timer);
    }
  }
  assert.equal(run.child.exitCode, 0, `Ctrl-C exit code:\n${run.output}`);
  assert.doesNotMatch(run.output, /ERR_PNPM|ELIFECYCLE/, run.output);
  for (const port of Object.values(ports))
    assert.equal(await portTaken(port), false, `port ${port} still in use`);
});
