/**
 * `npm run bench:sync`: external enrollments with progress imported through the sync engine
 * from the local Moodle and Canvas (each in a process of its own, speaking its system's real
 * protocol over loopback), next to the same rows bulk-inserted by hand in the same run.
 *
 *   DATABASE_URL=postgres://… npm run bench:sync       a PostgreSQL server (the goal's setting)
 *   npm run bench:sync                                  embedded PGlite
 *   BENCH_SYNC_ENROLLMENTS=100000 BENCH_SYNC_COURSES=50 npm run bench:sync
 *
 * Each import runs twice, at a fifth of the size and at the full size, sampling the process's
 * RSS and its live heap (after a collection every 250 ms), to show whether memory grows with
 * the rows. Results land in bench/results/sync-<engine>.json (not committed).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { sql } from "kysely";
import pino from "pino";
import { createServices, openDatabase, syncReferenceData } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { migrate } from "../src/db/migrate.js";
import { seedEnrollment } from "../src/modules/integrations/fakes/common.js";
import { createIntegration } from "../src/modules/integrations/integrations.js";
import { requestSync, runSync } from "../src/modules/integrations/sync/engine.js";
import { loadSyncTarget } from "../src/modules/integrations/sync/target.js";
import { systemCtx } from "../src/platform/context.js";
import { machine } from "./machine.js";

const TOTAL = Number(process.env.BENCH_SYNC_ENROLLMENTS ?? 100_000);
const COURSES = Number(process.env.BENCH_SYNC_COURSES ?? 50);
const databaseUrl = process.env.DATABASE_URL || undefined;
const engine = databaseUrl ? "postgres" : "pglite";
const gc = (globalThis as { gc?: () => void }).gc;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-sync-"));
const config = loadConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  LYCEUM_DATA_DIR: dataDir,
  // The systems are local stand-ins on loopback.
  INTEGRATIONS_ALLOW_PRIVATE_NETWORK: "true",
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});
const database = await openDatabase(config);
await migrate(database);
await syncReferenceData(database);
const services = createServices(config, database, {}, pino({ level: "silent" }));
const ctx = systemCtx(services, "bench");
const db = services.db;

/** An external system in a child process; answers its address and token. */
async function startFake(kind: "moodle" | "canvas", courses: number, perCourse: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/lms-fake.ts", kind, String(courses), String(perCourse)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${kind} fake exited with ${code}`)));
  });
  const info = JSON.parse(line) as { url: string; token: string; accountId: string | null };
  return { ...info, stop: () => child.stdin.end() };
}

/** An organization whose members are the fakes' people (learner<n>@example.org), in SQL. */
async function organization(people: number, label: string) {
  const org = await db
    .insertInto("organizations")
    .values({ name: `Sync bench ${label}`, slug: `sync-bench-${label}-${Date.now()}` })
    .returning("id")
    .executeTakeFirstOrThrow();
  const owner = await db
    .insertInto("users")
    .values({
      email: `owner-${org.id}@bench.example`,
      password_hash: "x",
      first_name: "Bench",
      last_name: "Owner",
      email_verified: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // The fakes' people are the same addresses in every run: created once, joined each time.
  await sql`insert into users (email, password_hash, first_name, last_name, email_verified)
    select 'learner' || n || '@example.org', 'x', 'Learner', 'N' || n, true
    from generate_series(1, ${people}::int) n
    on conflict do nothing`.execute(db);
  await sql`insert into organization_members (organization_id, user_id, status)
    select ${org.id}, u.id, 'active' from users u
    where u.email in (select 'learner' || n || '@example.org' from generate_series(1, ${people}::int) n)`.execute(
    db,
  );
  return { orgId: org.id, ownerId: owner.id };
}

/** Samples RSS and, after a collection, the live heap while `fn` runs. */
async function measured<T>(fn: () => Promise<T>) {
  let peakRss = process.memoryUsage().rss;
  let peakHeap = 0;
  const startRss = peakRss;
  const timer = setInterval(() => {
    gc?.();
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 250);
  const start = performance.now();
  try {
    const result = await fn();
    return {
      result,
      ms: performance.now() - start,
      peakRssMb: peakRss / 2 ** 20,
      rssGrowthMb: (peakRss - startRss) / 2 ** 20,
      liveHeapMb: peakHeap / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

async function importFrom(kind: "moodle" | "canvas", total: number) {
  const perCourse = Math.ceil(total / COURSES);
  const fake = await startFake(kind, COURSES, perCourse);
  try {
    const { orgId, ownerId } = await organization(COURSES * perCourse, `${kind}-${total}`);
    const integration = await createIntegration({ ...ctx, actor: { ...ctx.actor } }, orgId, {
      name: `Bench ${kind}`,
      code: `bench-${kind}`,
      lmsType: kind,
      method: "api",
      authType: "api-token",
      credentials: { token: fake.token },
      baseUrl: fake.url,
      options:
        kind === "canvas" ? { accountId: fake.accountId } : { concurrency: 16, pageSize: 500 },
    });
    await db
      .updateTable("lms_integrations")
      .set({ created_by: ownerId })
      .where("id", "=", integration.id)
      .execute();
    const run = await requestSync(ctx, { id: integration.id, organizationId: orgId });
    const m = await measured(() => runSync(ctx, run.id, loadSyncTarget));
    const ended = m.result;
    const rows = ended.created_count - COURSES;
    console.log(
      `${kind} ${total}: ${ended.status}, ${rows} enrollments in ${(m.ms / 1000).toFixed(1)} s (${Math.round(rows / (m.ms / 1000))} rows/s), ${ended.pages} pages, peak RSS ${m.peakRssMb.toFixed(0)} MB, live heap ${m.liveHeapMb.toFixed(0)} MB`,
    );
    return {
      kind,
      total,
      status: ended.status,
      enrollments: rows,
      failed: ended.failed_count,
      skipped: ended.skipped_count,
      pages: ended.pages,
      ms: Math.round(m.ms),
      rowsPerSecond: Math.round(rows / (m.ms / 1000)),
      remoteMs: ended.remote_ms,
      peakRssMb: Math.round(m.peakRssMb),
      rssGrowthMb: Math.round(m.rssGrowthMb),
      liveHeapMb: Math.round(m.liveHeapMb),
    };
  } finally {
    fake.stop();
  }
}

/** The baseline: the same enrollments written by hand, 5,000 rows per INSERT … SELECT. */
async function byHand(total: number) {
  const perCourse = Math.ceil(total / COURSES);
  const { orgId, ownerId } = await organization(COURSES * perCourse, `hand-${total}`);
  const courses = await sql<{ id: string }>`
    insert into courses (code, slug, title, instructor_id, status, organization_id, enrollment_type)
    select 'HB-' || n || '-' || upper(right(${orgId}, 8)), 'hb-' || n || '-' || right(${orgId}, 8), 'Hand course ' || n,
           ${ownerId}, 'published', ${orgId}, 'invite'
    from generate_series(1, ${COURSES}::int) n
    returning id`.execute(db);
  const people = await sql<{ id: string; email: string }>`
    select u.id, u.email from users u join organization_members m on m.user_id = u.id
    where m.organization_id = ${orgId}`.execute(db);
  const byEmail = new Map(people.rows.map((p) => [p.email, p.id]));
  const m = await measured(async () => {
    let batch: unknown[] = [];
    const flush = async () => {
      if (!batch.length) return;
      await sql`insert into enrollments (user_id, course_id, organization_id, status, source, enrolled_at,
                  completed_at, last_accessed_at, progress_percent, time_spent_seconds, score, external_id, external_status)
        select r.user_id, r.course_id, ${orgId}, r.status, 'integration', r.enrolled_at, r.completed_at,
               r.last_accessed_at, r.progress_percent, r.time_spent_seconds, r.score, r.external_id, r.external_status
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as r (user_id uuid, course_id uuid, status text,
          enrolled_at timestamptz, completed_at timestamptz, last_accessed_at timestamptz, progress_percent numeric,
          time_spent_seconds integer, score numeric, external_id text, external_status text)`.execute(
        db,
      );
      batch = [];
    };
    for (let c = 0; c < COURSES; c++)
      for (let i = 0; i < perCourse; i++) {
        const e = seedEnrollment(c, i, perCourse);
        batch.push({
          user_id: byEmail.get(e.person.email),
          course_id: courses.rows[c]?.id,
          status:
            e.state === "completed" ? "completed" : e.state === "dropped" ? "dropped" : "active",
          enrolled_at: e.enrolledAt.toISOString(),
          completed_at: e.completedAt?.toISOString() ?? null,
          last_accessed_at: e.lastAccessAt?.toISOString() ?? null,
          progress_percent: e.progressPercent,
          time_spent_seconds: e.timeSpentMinutes * 60,
          score: e.score,
          external_id: `${c}:${i}`,
          external_status: e.state,
        });
        if (batch.length === 5000) await flush();
      }
    await flush();
  });
  const rows = COURSES * perCourse;
  console.log(
    `by hand ${total}: ${rows} rows in ${(m.ms / 1000).toFixed(1)} s (${Math.round(rows / (m.ms / 1000))} rows/s)`,
  );
  return { total, rows, ms: Math.round(m.ms), rowsPerSecond: Math.round(rows / (m.ms / 1000)) };
}

console.log(`Sync benchmark on ${engine}: ${TOTAL} enrollments over ${COURSES} courses`);
const results = {
  machine: machine(engine),
  moodle: [await importFrom("moodle", Math.round(TOTAL / 5)), await importFrom("moodle", TOTAL)],
  canvas: [await importFrom("canvas", Math.round(TOTAL / 5)), await importFrom("canvas", TOTAL)],
  byHand: [await byHand(TOTAL)],
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(`bench/results/sync-${engine}.json`, `${JSON.stringify(results, null, 2)}\n`);
await database.close();
rmSync(dataDir, { recursive: true, force: true });
