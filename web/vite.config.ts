import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web app, built into web/dist and served by Lyceum at `/` (src/modules/system/web-app.ts).
// `npm run dev` serves it with hot reload here and sends /api to the Lyceum it starts beside.
const apiTarget = process.env.LYCEUM_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The server's Content-Security-Policy allows scripts from the origin only: no inline
    // module-preload helper.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1000,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup drops; harmless, and not ours to change.
        if (warning.code === "INVALID_ANNOTATION") return;
        warn(warning);
      },
    },
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
});
