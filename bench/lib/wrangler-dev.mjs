// Runs the relay under `wrangler dev --local` on free loopback ports with its state in a temp dir,
// so a benchmark never touches the dev stack (8787/8788/5173) or its .wrangler/state.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RELAY_DIR, WRANGLER_BIN } from "./paths.mjs";
import { freePort, waitForHttp } from "./ports.mjs";

const OUTPUT_TAIL = 4000;

/**
 * Starts `wrangler dev` for apps/relay with `vars` (strings) layered over wrangler.jsonc, plus a
 * throwaway TOKEN_ENCRYPTION_KEYS unless given. Returns its base URL and `stop()`.
 * Pass `port` when the relay must know its own URL before it starts (the OAuth redirect URI).
 */
export async function startRelay({ vars = {}, port, timeoutMs = 90_000 } = {}) {
  const relayPort = port ?? (await freePort());
  const inspectorPort = await freePort();
  const persistTo = mkdtempSync(join(tmpdir(), "ic-bench-relay-"));
  const allVars = { TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`, ...vars };
  const args = [
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(relayPort),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    persistTo,
    "--show-interactive-dev-session=false",
    "--log-level",
    "warn",
  ];
  for (const [name, value] of Object.entries(allVars)) args.push("--var", `${name}:${value}`);

  // Own process group, so stop() ends wrangler and the workerd it spawned, and nothing else.
  const child = spawn(WRANGLER_BIN, args, {
    cwd: RELAY_DIR,
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let buildFailed = false;
  const keep = (chunk) => {
    output = (output + chunk).slice(-OUTPUT_TAIL);
    // wrangler dev keeps running (watching) after a failed build: notice it instead of waiting.
    if (/Build failed|\[ERROR\]/.test(String(chunk))) buildFailed = true;
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);

  const url = `http://127.0.0.1:${relayPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(persistTo, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/health`, timeoutMs, () => {
      if (child.exitCode !== null) return `wrangler exited with ${child.exitCode}`;
      return buildFailed ? "the relay did not build (see the output below)" : undefined;
    });
  } catch (error) {
    await stop();
    throw new Error(`wrangler dev did not start: ${error.message}\n${output}`);
  }
  return { url, port: relayPort, persistTo, stop, output: () => output };
}
