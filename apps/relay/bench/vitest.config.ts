import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Bench-only config (never part of `pnpm test`): runs bench/*.bench-run.ts in workerd against the
// real local KV. Started by the root `pnpm bench --only sweep` (bench/parts/sweep.mjs).
const relayRoot = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root: relayRoot,
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        // The sweep reads no secret; these only satisfy the required-secrets check.
        bindings: {
          INSTAGRAM_CLIENT_SECRET: "bench-client-secret-0123456789",
          TOKEN_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
        },
      },
    }),
  ],
  test: {
    include: ["bench/**/*.bench-run.ts"],
    provide: { sweepRealKvMax: Number(process.env.BENCH_SWEEP_REAL_KV_MAX ?? 1_000) },
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
