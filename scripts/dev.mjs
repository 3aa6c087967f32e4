#!/usr/bin/env node
// Development: Lyceum's API (pretty logs, port PORT or 3000) and the web app on Vite's dev
// server with hot reload (port WEB_DEV_PORT or 5173), which sends /api to the API. Open the
// Vite URL; mailed links point there too. Ctrl-C stops both.
import { spawn } from "node:child_process";
import path from "node:path";

const apiPort = process.env.PORT ?? "3000";
const webPort = process.env.WEB_DEV_PORT ?? "5173";
const webUrl = `http://localhost:${webPort}`;

const children = [
  spawn(process.execPath, ["bin/lyceum.js", "serve", "--no-web-build"], {
    stdio: "inherit",
    env: {
      NODE_ENV: "development",
      PUBLIC_URL: webUrl,
      ...process.env,
      PORT: apiPort,
    },
  }),
  spawn(path.join("node_modules", ".bin", "vite"), ["web"], {
    stdio: "inherit",
    env: {
      ...process.env,
      WEB_DEV_PORT: webPort,
      LYCEUM_API_URL: `http://127.0.0.1:${apiPort}`,
    },
  }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  process.exitCode = code;
}
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
