// Absolute paths of the workspace folders the benchmarks use.
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The relay app (wrangler.jsonc lives here). */
export const RELAY_DIR = fileURLToPath(new URL("../../apps/relay/", import.meta.url));
/** Where each part writes `<part>.json`. */
export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));
/** The relay's own wrangler binary (pinned in apps/relay/package.json). */
export const WRANGLER_BIN = fileURLToPath(
  new URL("../../apps/relay/node_modules/.bin/wrangler", import.meta.url),
);
