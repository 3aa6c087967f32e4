#!/usr/bin/env node
// The whole test suite, the way CI runs it: format and lint check, type check, then every
// test on the embedded engine (PGlite) and again on a PostgreSQL server. Without
// TEST_DATABASE_URL a throwaway PostgreSQL server is started on loopback from the machine's
// initdb/pg_ctl binaries and removed afterwards.
//
//   npm test                      everything
//   npm test -- src/modules/identity   only matching test files (both engines)
//   TEST_ENGINES=pglite npm test  one engine
//   npm run test:web              only the browser journeys
//   npm run test:web-unit         only the web app's component tests
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const engines = (process.env.TEST_ENGINES ?? "pglite,postgres").split(",").map((s) => s.trim());
const isCI = process.env.CI === "true";
const bin = (name) => path.join("node_modules", ".bin", name);

function run(label, command, commandArgs, env = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, commandArgs, {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!args.length) {
  run("format and lint (biome)", bin("biome"), ["ci", "--error-on-warnings", "."]);
  run("type check (tsc)", bin("tsc"), ["--noEmit", "-p", "."]);
  run("type check of the web app (tsc -p web)", bin("tsc"), ["--noEmit", "-p", "web"]);
  run("type check of the browser tests (tsc -p web/e2e)", bin("tsc"), [
    "--noEmit",
    "-p",
    "web/e2e",
  ]);
  run("web app's component tests (happy-dom)", bin("vitest"), [
    "run",
    "--config",
    "web/vitest.config.ts",
  ]);
  run(
    "web app's API types current (web/src/api/schema.d.ts)",
    process.execPath,
    ["--import", "tsx", "scripts/web-api-types.ts", "--check"],
    { TEST_DATABASE_URL: "", NODE_ENV: "test", LOG_LEVEL: "silent" },
  );
}

if (engines.includes("pglite")) {
  run("tests on PGlite", bin("vitest"), ["run", ...args], { TEST_DATABASE_URL: "" });
}

if (engines.includes("postgres")) {
  if (process.env.TEST_DATABASE_URL) {
    run("tests on PostgreSQL", bin("vitest"), ["run", ...args]);
  } else {
    const server = await startThrowawayPostgres();
    if (!server) {
      const message =
        "PostgreSQL binaries (initdb, pg_ctl) not found: the PostgreSQL run was skipped.";
      if (isCI) {
        console.error(`✗ ${message}`);
        process.exit(1);
      }
      console.warn(`⚠ ${message} Install postgresql to run it.`);
    } else {
      try {
        run("tests on PostgreSQL", bin("vitest"), ["run", ...args], {
          TEST_DATABASE_URL: server.url,
        });
      } finally {
        server.stop();
      }
    }
  }
}
if (!args.length) {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(chromium)) {
    run("browser tests (chromium, PGlite)", bin("vitest"), [
      "run",
      "--config",
      "web/e2e/vitest.config.ts",
    ]);
  } else {
    const message = `chromium not found at ${chromium}: the browser tests were skipped.`;
    if (isCI) {
      console.error(`✗ ${message}`);
      process.exit(1);
    }
    console.warn(`⚠ ${message} Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
}
console.log("\n✓ all checks passed");

function findPgBin(name) {
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (onPath) return onPath;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const candidate = path.join(root, v, "bin", name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startThrowawayPostgres() {
  const initdb = findPgBin("initdb");
  const pgCtl = findPgBin("pg_ctl");
  if (!initdb || !pgCtl) return null;
  const dir = mkdtempSync(path.join(tmpdir(), "lyceum-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  // PostgreSQL refuses to run as root; use the postgres system account when we are root.
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd, cmdArgs) =>
    asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...cmdArgs]] : [cmd, cmdArgs];
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const exec = (cmd, cmdArgs) => {
    const [c, a] = wrap(cmd, cmdArgs);
    execFileSync(c, a, { stdio: ["ignore", "ignore", "inherit"] });
  };
  console.log(`\n▶ starting a throwaway PostgreSQL on 127.0.0.1:${port}`);
  exec(initdb, ["-D", data, "-U", "lyceum", "--auth=trust", "-E", "UTF8", "--no-instructions"]);
  exec(pgCtl, [
    "-D",
    data,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    "start",
  ]);
  return {
    url: `postgres://lyceum@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        exec(pgCtl, ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
