import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Harness ceiling, not a performance check: on a loaded 2-core machine a first test (imports,
    // workerd start-up) can take longer than vitest's 5 s default.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
