import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    // Vitest leaves a core to itself by default, which on a two-core machine is one test
    // file at a time; its own process mostly waits, so every core runs a file.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
    reporters: process.env.CI ? ["default"] : ["default"],
  },
});
