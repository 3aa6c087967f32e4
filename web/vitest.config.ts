import { defineConfig, mergeConfig } from "vitest/config";
import app from "./vite.config.js";

// Component and unit tests of the web app (web/src/**/*.test.ts[x]) in happy-dom, with the
// app's own Vite set-up. The browser journeys in e2e/ have their own config.
export default mergeConfig(
  app,
  defineConfig({
    root: import.meta.dirname,
    test: {
      include: ["src/**/*.test.{ts,tsx}"],
      environment: "happy-dom",
      setupFiles: ["src/test/setup.ts"],
      restoreMocks: true,
    },
  }),
);
