// node --test global setup: one stack for every e2e file, torn down after the last one, on
// failure, and on Ctrl-C.
import { startStack } from "./support/stack.mjs";

let stack;

const killNow = () => {
  // Last resort when the runner dies without teardown: synchronous SIGKILL to each group.
  for (const { child } of stack?.services ?? []) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  }
};

export async function globalSetup() {
  process.once("exit", killNow);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      killNow();
      process.exit(130);
    });
  }
  const started = Date.now();
  stack = await startStack();
  console.log(`[e2e] stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export async function globalTeardown() {
  await stack?.stop();
  stack = undefined;
}
