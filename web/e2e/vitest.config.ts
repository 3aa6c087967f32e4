import { defineConfig } from "vitest/config";

// Browser journeys: one in-process Lyceum on PGlite with the built web app, driven through
// Debian's chromium (npm test runs them after the unit and API suites; see docs/web.md).
export default defineConfig({
  test: {
    include: ["web/e2e/**/*.e2e.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent", TEST_DATABASE_URL: "" },
  },
});
