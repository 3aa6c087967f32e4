import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The web app, built into web/dist and served by Lyceum at `/` (src/modules/system/web-app.ts).
// `npm run dev` serves it with hot reload here and sends /api to the Lyceum it starts beside.
const apiTarget = process.env.LYCEUM_API_URL ?? "http://127.0.0.1:3000";

/**
 * Writes a Brotli (`.br`) and a gzip (`.gz`) copy beside every text asset of the build, once,
 * at the highest levels; the server sends the copy the browser accepts (`preCompressed`).
 */
function precompress(): Plugin {
  const TEXT = /\.(js|css|svg|json|html|txt)$/;
  let outDir = "dist";
  return {
    name: "lyceum-precompress",
    apply: "build",
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const full = path.join(dir, name);
          return statSync(full).isDirectory() ? walk(full) : [full];
        });
      for (const file of walk(outDir)) {
        if (!TEXT.test(file) || statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
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
