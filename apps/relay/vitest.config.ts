import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Fixed test keys (never used outside tests): the newest first, as in production.
const key = (fill: number) => Buffer.alloc(32, fill).toString("base64");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        // Override wrangler.jsonc vars: the relay talks to the in-process fake Instagram
        // (test/support/fake.ts) at an https host, exactly like production config would.
        bindings: {
          INSTAGRAM_CLIENT_ID: "test-client-id",
          INSTAGRAM_CLIENT_SECRET: "test-client-secret-0123456789abcdef",
          TOKEN_ENCRYPTION_KEYS: `k1:${key(1)}`,
          INSTAGRAM_REDIRECT_URI: "https://relay.test/v1/oauth/callback",
          INSTAGRAM_AUTHORIZE_URL: "https://fake.instagram.test/oauth/authorize",
          INSTAGRAM_API_BASE: "https://fake.instagram.test",
          INSTAGRAM_GRAPH_BASE: "https://fake.instagram.test",
          ALLOWED_ORIGINS: "https://app.example.com,http://localhost:5173",
          ALLOWED_RETURN_TO: "https://app.example.com/connected,http://localhost:5173/",
          ALLOWED_SCOPES:
            "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments,instagram_business_manage_insights",
          INSTAGRAM_WEBHOOK_VERIFY_TOKEN: "test-verify-token-0123456789",
          ALLOW_INSECURE_INSTAGRAM: "false",
          UPSTREAM_TIMEOUT_MS: "1000",
          // Webhooks on, delivered to the in-test receiver (test/support/webhook-receiver.ts).
          WEBHOOK_URL: "https://hooks.app.example.com/instagram-connect",
          WEBHOOK_SECRET: "test-webhook-secret-0123456789abcdef",
          // Receipt signing keys (Ed25519 seeds), newest first; both are published in the JWKS.
          RECEIPT_SIGNING_KEYS: `r2:${key(9)},r1:${key(8)}`,
          // Admin API on (test/admin); the disabled case runs with this setting removed.
          ADMIN_SECRET: "test-admin-secret-0123456789abcdefghij",
        },
      },
    }),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/support/leak-guard.ts", "./test/support/webhook-receiver.ts"],
    // Harness ceiling, not a performance check: on a loaded 2-core machine a first test (imports,
    // workerd start-up) can take longer than vitest's 5 s default.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
