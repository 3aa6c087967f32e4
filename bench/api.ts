/**
 * `npm run bench:api`: requests per second and latency of Lyceum's API under concurrent load,
 * next to a bare Fastify route measured in the same run on the same machine.
 *
 *   BENCH_CONNECTIONS=50 BENCH_DURATION=10 npm run bench:api           embedded PGlite
 *   DATABASE_URL=postgres://… npm run bench:api                         a PostgreSQL server
 *
 * Lyceum and the baseline each run in their own child process (production mode, web only);
 * autocannon drives them from this process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "kysely";
import { connect } from "../src/db/connection.js";
import { migrate } from "../src/db/migrate.js";
import { roleIdByKey, syncCatalog } from "../src/modules/access/provision.js";
import { hashPassword } from "../src/modules/identity/passwords.js";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2000);
const databaseUrl = process.env.DATABASE_URL || undefined;
const engine = databaseUrl ? "postgres" : "pglite";
const ADMIN = { email: "bench-admin@lyceum.local", password: "Bench-Password-1!" };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}

/** Seeds a platform administrator and PEOPLE more accounts directly through SQL. */
async function seed(dataDir: string): Promise<void> {
  const handle = await connect({ url: databaseUrl, dataDir: path.join(dataDir, "pglite") });
  try {
    await migrate(handle);
    await syncCatalog(handle.db);
    const db = handle.db;
    await sql`delete from users where email like '%@bench.example' or email = ${ADMIN.email}`.execute(
      db,
    );
    const hash = await hashPassword(ADMIN.password);
    const admin = await db
      .insertInto("users")
      .values({
        email: ADMIN.email,
        password_hash: hash,
        first_name: "Bench",
        last_name: "Admin",
        email_verified: true,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const platformAdmin = await roleIdByKey(db, null, "platform-admin");
    await db
      .insertInto("user_roles")
      .values({ user_id: admin.id, role_id: platformAdmin as string })
      .execute();
    await sql`
      insert into users (email, password_hash, first_name, last_name, email_verified, created_at)
      select 'person' || n || '@bench.example', ${hash}, 'Person', 'Number ' || n, true,
             now() - (n || ' minutes')::interval
      from generate_series(1, ${PEOPLE}::int) as n`.execute(db);
  } finally {
    await handle.close();
  }
}

function start(command: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  child.on("exit", (code, signal) => {
    if (code && code !== 0 && signal === null)
      console.error(`${command.join(" ")} exited with ${code}`);
  });
  return child;
}

interface Target {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

interface Row {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function measure(target: Target): Promise<Row> {
  const check = await fetch(target.url, {
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
  });
  if (!check.ok) throw new Error(`${target.name} answered ${check.status}: ${await check.text()}`);
  const options = {
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
  };
  await autocannon({
    ...options,
    connections: CONNECTIONS,
    duration: Math.max(2, Math.round(DURATION / 4)),
  });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION });
  return {
    target: target.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-"));
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    console.log(`Seeding ${PEOPLE} people on ${engine} …`);
    await seed(dataDir);
    const [lyceumPort, barePort] = await Promise.all([freePort(), freePort()]);
    children.push(
      start([path.resolve("bin/lyceum.js"), "serve", "--no-seed"], {
        NODE_ENV: "production",
        LYCEUM_SECRET: "bench-secret-bench-secret-bench-secret-42",
        LYCEUM_DATA_DIR: dataDir,
        LYCEUM_SERVICES: "web",
        LOG_LEVEL: "warn",
        HOST: "127.0.0.1",
        PORT: String(lyceumPort),
        RATE_LIMIT_PER_MINUTE: "100000000",
        AUTH_RATE_LIMIT_PER_MINUTE: "100000000",
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
      }),
      start([path.resolve("bench/bare-server.mjs")], { PORT: String(barePort) }),
    );
    const api = `http://127.0.0.1:${lyceumPort}/api/v1`;
    await Promise.all([waitFor(`${api}/ready`), waitFor(`http://127.0.0.1:${barePort}/bare`)]);
    const login = await fetch(`${api}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    const token = ((await login.json()) as { data: { tokens: { accessToken: string } } }).data
      .tokens.accessToken;
    const auth = { authorization: `Bearer ${token}` };
    const targets: Target[] = [
      { name: "bare Fastify route (baseline)", url: `http://127.0.0.1:${barePort}/bare` },
      { name: "GET /api/v1/health", url: `${api}/health` },
      {
        name: "POST /api/v1/auth/login",
        url: `${api}/auth/login`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADMIN),
      },
      { name: "GET /api/v1/users/me", url: `${api}/users/me`, headers: auth },
      {
        name: "GET /api/v1/users?page=3&limit=50",
        url: `${api}/users?page=3&limit=50`,
        headers: auth,
      },
    ];
    const rows: Row[] = [];
    for (const target of targets) {
      console.log(`Measuring ${target.name} (${CONNECTIONS} connections, ${DURATION} s) …`);
      rows.push(await measure(target));
    }
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      node: process.version,
      engine,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      people: PEOPLE,
      date: new Date().toISOString(),
    };
    console.log(
      `\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, engine ${engine}\n`,
    );
    console.log("| target | requests/s | p50 ms | p99 ms | non-2xx | errors |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of rows)
      console.log(
        `| ${r.target} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} |`,
      );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      `bench/results/api-${engine}.json`,
      `${JSON.stringify({ machine, rows }, null, 2)}\n`,
    );
  } finally {
    cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
