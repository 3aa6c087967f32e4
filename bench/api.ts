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
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "kysely";
import { connect } from "../src/db/connection.js";
import { migrate } from "../src/db/migrate.js";
import { roleIdByKey, syncCatalog } from "../src/modules/access/provision.js";
import { hashPassword } from "../src/modules/identity/passwords.js";
import { type CpuSnapshot, cpuPerRequest, cpuSnapshot } from "./cpu.js";
import { machine } from "./machine.js";
import { freePort, waitFor } from "./processes.js";
import { queriesPerRequest, quiesce } from "./queries.js";
import { autosave, openAttempts, reload, seedQuiz, submitCycle } from "./quiz-load.js";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 2000);
const databaseUrl = process.env.DATABASE_URL || undefined;
const engine = databaseUrl ? "postgres" : "pglite";
const ADMIN = { email: "bench-admin@lyceum.local", password: "Bench-Password-1!" };
const COURSES = Number(process.env.BENCH_COURSES ?? 500);
// More learners than connections, so that lesson completions stay real ones (each learner
// completes each lesson once) even at a few thousand completions per second.
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? Math.max(CONNECTIONS, 250));
const LESSONS = 100;
/**
 * Node flags for the Lyceum process: those `npm start` uses, then BENCH_NODE_FLAGS (e.g.
 * "--cpu-prof --cpu-prof-dir=prof").
 */
const NODE_FLAGS = [
  ...startFlags(),
  ...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean),
];

/** The Node flags of package.json's `start` script, so the server runs as `npm start` runs it. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
    scripts: { start: string };
  };
  // node <flags…> bin/lyceum.js serve …
  const words = scripts.start.split(" ").slice(1);
  const script = words.findIndex((word) => !word.startsWith("--"));
  return words.slice(0, script === -1 ? words.length : script);
}
/** CPU per request of the busy baseline: about what the people list costs on the embedded engine. */
const BUSY_MS = Number(process.env.BENCH_BUSY_MS ?? 4);
/** Only the targets whose name matches (a regular expression), e.g. BENCH_ONLY=health|complete. */
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, "i") : null;

/** Seeds a platform administrator, PEOPLE more accounts and the learning data, through SQL. */
async function seed(dataDir: string): Promise<{ lessons: string[]; quizId: string }> {
  const handle = await connect({ url: databaseUrl, dataDir: path.join(dataDir, "pglite") });
  try {
    await migrate(handle);
    await syncCatalog(handle.db);
    const db = handle.db;
    // A second run on the same database starts from scratch (courses reference their instructor).
    await sql`delete from courses where code like 'BENCH-%'`.execute(db);
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
    const seeded = await seedLearning(db, admin.id, hash);
    // Planner statistics and the visibility map (which index-only scans need), as a database in
    // use has them: from autovacuum on a server, from the vacuum job on the embedded engine.
    await sql`vacuum (analyze)`.execute(db);
    return seeded;
  } finally {
    await handle.close();
  }
}

/**
 * A catalog of COURSES published courses, and one course of LESSONS lessons in which LEARNERS
 * people (learner1..n@bench.example) are enrolled with every lesson started, so each
 * completion in the run is a real one.
 */
async function seedLearning(
  db: Awaited<ReturnType<typeof connect>>["db"],
  adminId: string,
  hash: string,
): Promise<{ lessons: string[]; quizId: string }> {
  await sql`delete from courses where code like 'BENCH-%'`.execute(db);
  await sql`
    insert into courses (code, slug, title, description, category, level, instructor_id, status,
                         published_at, tags, duration_minutes, created_at)
    select 'BENCH-' || n, 'bench-course-' || n, 'Bench course ' || n,
           'A synthetic course number ' || n || ' for measuring the catalog.',
           (array['data', 'leadership', 'safety', 'engineering', 'sales'])[1 + n % 5],
           (array['beginner', 'intermediate', 'advanced'])[1 + n % 3],
           ${adminId}, 'published', now(), array['bench'], 30 + n % 300,
           now() - (n || ' minutes')::interval
    from generate_series(1, ${COURSES}::int) as n`.execute(db);
  const course = await db
    .insertInto("courses")
    .values({
      code: "BENCH-LEARN",
      slug: "bench-learn",
      title: "Bench learning course",
      description: "The course the lesson-completion benchmark learns in.",
      instructor_id: adminId,
      status: "published",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const module = await db
    .insertInto("modules")
    .values({ course_id: course.id, title: "Everything", position: 1 })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`
    insert into lessons (module_id, course_id, title, content_type, content, position)
    select ${module.id}, ${course.id}, 'Lesson ' || n, 'text', '{"html": "<p>Read</p>"}', n
    from generate_series(1, ${LESSONS}::int) as n`.execute(db);
  await sql`
    insert into users (email, password_hash, first_name, last_name, email_verified)
    select 'learner' || n || '@bench.example', ${hash}, 'Learner', 'Number ' || n, true
    from generate_series(1, ${LEARNERS}::int) as n`.execute(db);
  await sql`
    insert into enrollments (user_id, course_id, status, source, started_at)
    select u.id, ${course.id}, 'active', 'self', now()
    from users u where u.email like 'learner%@bench.example'`.execute(db);
  await sql`
    insert into lesson_progress (enrollment_id, user_id, course_id, module_id, lesson_id,
                                 started_at, last_activity_at)
    select e.id, e.user_id, e.course_id, l.module_id, l.id, now(), now()
    from enrollments e join lessons l on l.course_id = e.course_id
    where e.course_id = ${course.id}`.execute(db);
  const lessons = await db
    .selectFrom("lessons")
    .select("id")
    .where("course_id", "=", course.id)
    .orderBy("position")
    .execute();
  return { lessons: lessons.map((l) => l.id), quizId: await seedQuiz(db, course.id, module.id) };
}

async function learnerTokens(api: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let n = 1; n <= LEARNERS; n++) {
    const res = await fetch(`${api}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `learner${n}@bench.example`, password: ADMIN.password }),
    });
    const body = (await res.json()) as { data: { tokens: { accessToken: string } } };
    tokens.push(body.data.tokens.accessToken);
  }
  return tokens;
}

/**
 * Lesson completion: each request completes the next not-yet-completed lesson of the next
 * learner, round robin, so every answer is a real completion that recomputes module and course
 * progress.
 */
function lessonCompletion(api: string, lessons: string[], tokens: string[]): Target {
  let i = 0;
  const path0 = new URL(`${api}/lessons/${lessons[0]}/complete`).pathname;
  return {
    name: `POST /api/v1/lessons/:id/complete (${LEARNERS} learners × ${LESSONS} lessons)`,
    url: `${api}/lessons/${lessons[0]}/complete`,
    method: "POST",
    headers: { authorization: `Bearer ${tokens[0]}`, "content-type": "application/json" },
    body: "{}",
    setupRequest: (request) => {
      const n = i++;
      if (n === tokens.length * lessons.length)
        console.warn("  every lesson is completed: further completions are repeats");
      const learner = n % tokens.length;
      const lesson = Math.floor(n / tokens.length) % lessons.length;
      return {
        ...request,
        path: path0.replace(lessons[0] as string, lessons[lesson] as string),
        headers: {
          ...(request.headers as Record<string, string>),
          authorization: `Bearer ${tokens[learner]}`,
        },
      };
    },
  };
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
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: string;
  /** The baseline outside Lyceum (no query count). */
  bare?: boolean;
  /** Rewrites each request (autocannon setupRequest), e.g. to walk through lessons. */
  setupRequest?: (request: autocannon.Request) => autocannon.Request;
}

interface Row {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Database statements per request, sampled one request at a time after the run. */
  queriesPerRequest: number | null;
  /** CPU µs per request of the server, the load generator and the database (Linux only). */
  cpuMicros?: CpuSnapshot | null;
}

async function measure(target: Target, serverPid?: number): Promise<Row> {
  const check = await fetch(target.url, {
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
  });
  if (!check.ok) throw new Error(`${target.name} answered ${check.status}: ${await check.text()}`);
  // Requests the previous run gave up on may still be queued in the server.
  if (!target.bare) await quiesce(new URL(target.url).origin);
  const options = {
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    ...(target.setupRequest ? { requests: [{ setupRequest: target.setupRequest }] } : {}),
  };
  await autocannon({
    ...options,
    connections: CONNECTIONS,
    duration: Math.max(2, Math.round(DURATION / 4)),
  });
  const before = cpuSnapshot(serverPid);
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION });
  const cpuMicros = cpuPerRequest(before, cpuSnapshot(serverPid), result.requests.total);
  const queries = target.bare ? null : await queriesPerRequest(target);
  return {
    target: target.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    queriesPerRequest: queries,
    cpuMicros: target.bare ? null : cpuMicros,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-"));
  const children: ChildProcess[] = [];
  const cleanup = () => {
    for (const child of children) child.kill("SIGTERM");
    if (process.env.BENCH_KEEP_DATA) console.log(`Data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    console.log(`Seeding ${PEOPLE} people on ${engine} …`);
    const { lessons, quizId } = await seed(dataDir);
    const [lyceumPort, barePort] = await Promise.all([freePort(), freePort()]);
    children.push(
      start([...NODE_FLAGS, path.resolve("bin/lyceum.js"), "serve", "--no-seed"], {
        NODE_ENV: "production",
        LYCEUM_SECRET: "bench-secret-bench-secret-bench-secret-42",
        LYCEUM_DATA_DIR: dataDir,
        LYCEUM_SERVICES: "web",
        LOG_LEVEL: "warn",
        HOST: "127.0.0.1",
        PORT: String(lyceumPort),
        RATE_LIMIT_PER_MINUTE: "100000000",
        AUTH_RATE_LIMIT_PER_MINUTE: "100000000",
        DEBUG_QUERY_COUNT: "true",
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: "" }),
      }),
      start([path.resolve("bench/bare-server.mjs")], { PORT: String(barePort) }),
    );
    const api = `http://127.0.0.1:${lyceumPort}/api/v1`;
    await Promise.all([
      waitFor(`${api}/ready`, 60_000, 200),
      waitFor(`http://127.0.0.1:${barePort}/bare`, 60_000, 200),
    ]);
    const login = await fetch(`${api}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    const token = ((await login.json()) as { data: { tokens: { accessToken: string } } }).data
      .tokens.accessToken;
    const auth = { authorization: `Bearer ${token}` };
    const me = await fetch(`${api}/users/me`, { headers: auth });
    const adminId = ((await me.json()) as { data: { id: string } }).data.id;
    const targets: Target[] = [
      {
        name: "bare Fastify route (baseline)",
        url: `http://127.0.0.1:${barePort}/bare`,
        bare: true,
      },
      {
        // The latency baseline for the heavier routes: at 50 connections a route whose every
        // request holds the event loop this long queues the others behind it.
        name: `bare Fastify route, ${BUSY_MS} ms of work per request (latency baseline)`,
        url: `http://127.0.0.1:${barePort}/busy?ms=${BUSY_MS}`,
        bare: true,
      },
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
      {
        name: `GET /api/v1/courses?limit=20 (anonymous, ${COURSES} courses)`,
        url: `${api}/courses?limit=20&sort=newest`,
      },
      {
        name: "GET /api/v1/courses?search=course+42&category=data",
        url: `${api}/courses?search=course%2042&category=data`,
      },
      {
        name: "POST /api/v1/learning-events/batch (100 events)",
        url: `${api}/learning-events/batch`,
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          events: Array.from({ length: 100 }, (_, i) => ({
            type: "content-viewed",
            learnerId: adminId,
            data: { n: i },
          })),
        }),
      },
    ];
    const tokens = await learnerTokens(api);
    targets.push(lessonCompletion(api, lessons, tokens));
    const attempts = await openAttempts(api, quizId, tokens);
    targets.push(autosave(api, attempts, tokens), reload(api, attempts, tokens));
    const rows: Row[] = [];
    for (const target of targets) {
      if (ONLY && !ONLY.test(target.name) && !target.name.includes("health")) continue;
      console.log(`Measuring ${target.name} (${CONNECTIONS} connections, ${DURATION} s) …`);
      rows.push(await measure(target, children[0]?.pid));
    }
    // The open attempts are submitted by the first cycle; each cycle then starts a new one.
    if (!ONLY || ONLY.test("submit")) {
      console.log(`Measuring quiz submission (${CONNECTIONS} learners, ${DURATION} s) …`);
      await quiesce(`http://127.0.0.1:${lyceumPort}`);
      const before = cpuSnapshot(children[0]?.pid);
      const submitted = await submitCycle(api, quizId, tokens.slice(0, CONNECTIONS), DURATION);
      // Each submission comes with the start of its attempt: the CPU is that pair's.
      const cpuMicros = cpuPerRequest(
        before,
        cpuSnapshot(children[0]?.pid),
        submitted.requestsPerSecond * DURATION,
      );
      rows.push({ ...submitted, cpuMicros });
    }
    const { describe, ...ran } = machine(engine);
    const machineInfo = {
      ...ran,
      connections: CONNECTIONS,
      durationSeconds: DURATION,
      people: PEOPLE,
    };
    console.log(`\n${describe()}\n`);
    const health = rows.find((r) => r.target.startsWith("GET /api/v1/health"));
    const ratio = (r: Row) =>
      health ? `${((100 * r.requestsPerSecond) / health.requestsPerSecond).toFixed(1)}%` : "";
    console.log(
      "| target | requests/s | ÷ health | p50 ms | p99 ms | queries/request | CPU µs/request server · load · database | non-2xx | errors |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    const cpu = (r: Row) =>
      r.cpuMicros
        ? `${r.cpuMicros.server} · ${r.cpuMicros.generator} · ${engine === "postgres" ? r.cpuMicros.database : "—"}`
        : "—";
    for (const r of rows)
      console.log(
        `| ${r.target} | ${r.requestsPerSecond} | ${ratio(r)} | ${r.p50Ms} | ${r.p99Ms} | ${r.queriesPerRequest ?? "—"} | ${cpu(r)} | ${r.non2xx} | ${r.errors} |`,
      );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      `bench/results/api-${engine}.json`,
      `${JSON.stringify({ machine: machineInfo, rows }, null, 2)}\n`,
    );
  } finally {
    cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
