/**
 * `npm run bench:reports`: the report engine on a synthetic organization, next to the same
 * aggregations written by hand in SQL on the same database, plus export throughput.
 *
 *   npm run bench:reports                                   embedded PGlite, default scale
 *   DATABASE_URL=postgres://… npm run bench:reports          a PostgreSQL server
 *   BENCH_EVENTS=5000000 BENCH_ENROLLMENTS=200000 BENCH_BIG_COURSE=760000 npm run bench:reports
 *
 * The data is reproducible (derived from row numbers, no randomness).
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { connect } from "../src/db/connection.js";
import { forEachBatch } from "../src/db/cursor.js";
import { migrate } from "../src/db/migrate.js";
import { compileReport } from "../src/modules/reports/compile.js";
import { reportDefinition } from "../src/modules/reports/definition.js";
import { type OutputFormat, openReportFile } from "../src/modules/reports/export-file.js";
import { STREAM_BATCH_ROWS } from "../src/modules/reports/service.js";
import { machine } from "./machine.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const ENROLLMENTS = Number(process.env.BENCH_ENROLLMENTS ?? 100_000);
const BIG_COURSE = Number(process.env.BENCH_BIG_COURSE ?? 100_000);
const COURSES = 400;
const DEPARTMENTS = 12;
const databaseUrl = process.env.DATABASE_URL || undefined;
const engine = databaseUrl ? "postgres" : "pglite";
const TZ = "Europe/Berlin";

type Db = Awaited<ReturnType<typeof connect>>["db"];

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: Math.round((performance.now() - start) * 100) / 100, result };
}

/**
 * Median after one warm-up: at least three runs, more for fast queries (until two seconds have
 * gone, at most 51), so sub-millisecond reports are not judged on three noisy samples.
 */
async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const runs: number[] = [];
  const start = performance.now();
  while (runs.length < 3 || (runs.length < 51 && performance.now() - start < 2_000))
    runs.push((await timed(fn)).ms);
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)] as number;
}

async function seed(db: Db): Promise<{ orgId: string; bigCourse: string; learner: string }> {
  const learners = Math.max(ENROLLMENTS / 4, BIG_COURSE);
  const org = await db
    .insertInto("organizations")
    .values({ name: "Bench Corp", slug: `bench-${Date.now()}`, timezone: TZ })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`insert into departments (organization_id, name, code)
    select ${org.id}, 'Department ' || n, 'D' || n from generate_series(1, ${DEPARTMENTS}::int) n`.execute(
    db,
  );
  const admin = await db
    .insertInto("users")
    .values({
      email: `bench-owner-${Date.now()}@bench.example`,
      password_hash: "x",
      first_name: "Bench",
      last_name: "Owner",
      email_verified: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`insert into users (email, password_hash, first_name, last_name, email_verified)
    select 'r' || n || '-' || ${org.id} || '@bench.example', 'x', 'Learner', 'N' || n, true
    from generate_series(1, ${learners}::int) n`.execute(db);
  // Each learner's department follows from a hash of their address.
  await sql`insert into organization_members (organization_id, user_id, department_id, status)
    select ${org.id}, u.id, d.id, 'active'
    from users u
    join (select id, row_number() over (order by code) - 1 as k from departments where organization_id = ${org.id}) d
      on d.k = abs(hashtext(u.email)) % ${DEPARTMENTS}
    where u.email like ${`%-${org.id}@bench.example`}`.execute(db);
  await sql`insert into courses (code, slug, title, description, category, instructor_id, status, organization_id)
    select 'BR-' || n || '-' || upper(right(${org.id}, 8)), 'br-' || n || '-' || right(${org.id}, 8), 'Report course ' || n,
           'A synthetic course for the reporting benchmark.', (array['safety','data','sales','leadership'])[1 + n % 4],
           ${admin.id}, 'published', ${org.id}
    from generate_series(1, ${COURSES + 1}::int) n`.execute(db);
  const big = await db
    .selectFrom("courses")
    .select("id")
    .where("organization_id", "=", org.id)
    .where("code", "like", `BR-${COURSES + 1}-%`)
    .executeTakeFirstOrThrow();
  // Enrollments: learner k takes courses k, k+1, k+2, k+3 (mod COURSES) up to ENROLLMENTS.
  await sql`with l as (select id, row_number() over (order by email) as k from users where email like ${`%-${org.id}@bench.example`}),
                 c as (select id, row_number() over (order by code) as k from courses where organization_id = ${org.id} and id <> ${big.id})
    insert into enrollments (user_id, course_id, organization_id, status, source, enrolled_at, started_at, completed_at, progress_percent, time_spent_seconds)
    select l.id, c.id, ${org.id},
           (array['active','completed','completed','dropped','active'])[1 + (l.k + j) % 5],
           'admin', timestamptz '2026-01-01' + ((l.k * 7 + j) % 300) * interval '1 day',
           timestamptz '2026-01-01' + ((l.k * 7 + j) % 300) * interval '1 day',
           case when (l.k + j) % 5 in (1, 2) then timestamptz '2026-01-01' + ((l.k * 7 + j) % 300 + (l.k % 30)) * interval '1 day' end,
           ((l.k * 13 + j) % 101), ((l.k * 37 + j) % 7200)
    from l cross join generate_series(0, 3) j
    join c on c.k = 1 + (l.k + j) % ${COURSES}
    where (l.k - 1) * 4 + j < ${ENROLLMENTS}`.execute(db);
  await sql`with l as (select id, row_number() over (order by email) as k from users where email like ${`%-${org.id}@bench.example`})
    insert into enrollments (user_id, course_id, organization_id, status, source, enrolled_at, completed_at, progress_percent, time_spent_seconds)
    select l.id, ${big.id}, ${org.id}, case when l.k % 3 = 0 then 'completed' else 'active' end, 'compliance',
           timestamptz '2026-02-01', case when l.k % 3 = 0 then timestamptz '2026-03-01' end, (l.k % 101), (l.k % 3600)
    from l where l.k <= ${BIG_COURSE}`.execute(db);
  // Events spread over the enrollments, over a year, a handful of types.
  await sql`with e as (select user_id, course_id, row_number() over (order by id) as k from enrollments where organization_id = ${org.id} and course_id <> ${big.id}),
                 n as (select count(*) as total from e)
    insert into learning_events (organization_id, learner_id, event_type, course_id, occurred_at, day_key, week_key, month_key, quarter_key, year_key)
    select ${org.id}, e.user_id, (array['content-viewed','content-started','content-completed','assessment-submitted','login'])[1 + g % 5],
           e.course_id, ts, (ts at time zone ${TZ})::date, to_char(ts at time zone ${TZ}, 'IYYY-"W"IW'),
           to_char(ts at time zone ${TZ}, 'YYYY-MM'), to_char(ts at time zone ${TZ}, 'YYYY-"Q"Q'), extract(year from ts at time zone ${TZ})::int
    from generate_series(1, ${EVENTS}::int) g
    cross join lateral (select timestamptz '2026-01-01' + (g % 525600) * interval '1 minute' as ts) t
    join e on e.k = 1 + g % (select total from n)`.execute(db);
  const learner = await db
    .selectFrom("learning_events")
    .select("learner_id")
    .where("organization_id", "=", org.id)
    .limit(1)
    .executeTakeFirstOrThrow();
  await sql`analyze`.execute(db);
  return { orgId: org.id, bigCourse: big.id, learner: learner.learner_id };
}

const rssMB = () => Math.round(process.memoryUsage().rss / 1_048_576);

/**
 * Writes `count` rows, made on the fly, in batches through the file writer the report runner
 * uses, sampling the process's RSS after every batch.
 */
async function measureExport(format: OutputFormat, count: number) {
  const columns = [
    { key: "k", label: "Learner", kind: "dimension" as const, type: "string" },
    { key: "n", label: "Events", kind: "measure" as const, type: "number", format: "number" },
    { key: "r", label: "Rate", kind: "measure" as const, type: "number", format: "percent" },
  ];
  const definition = reportDefinition.parse({ measures: [{ id: "n", type: "count" }] });
  const dir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-export-"));
  const before = rssMB();
  let peak = before;
  // What the writer really keeps: the heap after a collection, every 50 batches (the child
  // runs with --expose-gc; RSS alone also counts garbage not yet collected).
  const gc = (global as { gc?: () => void }).gc;
  let live = 0;
  const sampleLive = () => {
    if (!gc) return;
    gc();
    const m = process.memoryUsage();
    live = Math.max(live, Math.round((m.heapUsed + m.external) / 1_048_576));
  };
  const file = openReportFile(
    { name: "Bench", format, base: "activity", columns, definition, generatedAt: new Date() },
    path.join(dir, "export"),
  );
  let gcMs = 0;
  const t = await timed(async () => {
    for (let start = 0, n = 0; start < count; start += STREAM_BATCH_ROWS, n++) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + STREAM_BATCH_ROWS); i++)
        batch.push({ values: { k: `Learner ${i}`, n: i, r: (i % 1000) / 10 }, total: false });
      await file.write(batch);
      peak = Math.max(peak, rssMB());
      if (n % 50 === 49) {
        const g = performance.now();
        sampleLive();
        gcMs += performance.now() - g;
      }
    }
    const g = performance.now();
    sampleLive();
    gcMs += performance.now() - g;
    return file.finish();
  });
  peak = Math.max(peak, rssMB());
  t.ms = Math.round((t.ms - gcMs) * 10) / 10;
  rmSync(dir, { recursive: true, force: true });
  return {
    format: { csv: "CSV", excel: "XLSX", json: "JSON", pdf: "PDF" }[format],
    rows: count,
    ms: t.ms,
    rowsPerSecond: Math.round(count / (t.ms / 1000)),
    fileMB: Math.round(t.result.size / 104_857.6) / 10,
    peakRssMB: peak,
    rssGrowthMB: peak - before,
    liveHeapMB: live,
  };
}

/** measureExport in a fresh process (this script, called with BENCH_EXPORT=format:count). */
function measureExportAlone(format: OutputFormat, count: number): Record<string, string | number> {
  const args = [...process.execArgv, "--expose-gc", process.argv[1] as string];
  const child = spawnSync(process.execPath, args, {
    env: { ...process.env, BENCH_EXPORT: `${format}:${count}` },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`export bench failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1) as string);
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-reports-"));
  const handle = await connect({
    url: databaseUrl,
    dataDir: path.join(dataDir, "pglite"),
    poolSize: 4,
  });
  try {
    await migrate(handle);
    const db = handle.db;
    console.log(
      `Seeding ${EVENTS.toLocaleString("en")} events, ${ENROLLMENTS.toLocaleString("en")} enrollments and a ${BIG_COURSE.toLocaleString("en")}-learner course on ${engine} …`,
    );
    const seeded = await timed(() => seed(db));
    console.log(`Seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
    const { orgId, bigCourse, learner } = seeded.result;
    const scope = { organizationId: orgId, timeZone: TZ, learners: null };
    const engineRun = (definition: unknown) => async () => {
      const compiled = compileReport(reportDefinition.parse(definition), scope);
      return (await compiled.query().execute(db)).rows;
    };
    const hand = (query: ReturnType<typeof sql>) => async () => (await query.execute(db)).rows;
    const cases = [
      {
        name: "completion by course (all courses)",
        engine: engineRun({
          dimensions: [{ entity: "course", fields: ["title"] }],
          measures: [
            { id: "n", type: "count" },
            { id: "rate", type: "completion-rate" },
          ],
        }),
        hand: sql`select c.title, count(*), round(100.0 * count(*) filter (where e.status = 'completed') / nullif(count(*), 0), 2)
          from enrollments e left join courses c on c.id = e.course_id where e.organization_id = ${orgId} group by c.title`,
        keys: 1,
      },
      {
        name: `completion report of one course (${BIG_COURSE.toLocaleString("en")} enrollments), by department`,
        engine: engineRun({
          dimensions: [{ entity: "department", fields: ["name"] }],
          measures: [
            { id: "n", type: "count" },
            { id: "rate", type: "completion-rate" },
            { id: "study", type: "avg-study-time" },
          ],
          filters: { courseIds: [bigCourse] },
        }),
        hand: sql`select d.name, count(*), round(100.0 * count(*) filter (where e.status = 'completed') / nullif(count(*), 0), 2), round(avg(e.time_spent_seconds))
          from enrollments e left join organization_members om on om.user_id = e.user_id and om.organization_id = e.organization_id
          left join departments d on d.id = om.department_id where e.organization_id = ${orgId} and e.course_id = ${bigCourse} group by d.name`,
        keys: 1,
      },
      {
        name: `events by month and type (${EVENTS.toLocaleString("en")} events)`,
        engine: engineRun({
          dimensions: [
            { entity: "time", fields: ["month"] },
            { entity: "activity", fields: ["eventType"] },
          ],
          measures: [{ id: "events", type: "event-count" }],
        }),
        hand: sql`select date_trunc('month', occurred_at at time zone ${TZ}), event_type, count(*)
          from learning_events where organization_id = ${orgId} group by 1, 2`,
        keys: 2,
      },
      {
        name: "one learner's activity summary",
        engine: engineRun({
          dimensions: [
            { entity: "course", fields: ["title"] },
            { entity: "activity", fields: ["eventType"] },
          ],
          measures: [{ id: "events", type: "event-count" }],
          filters: { learnerIds: [learner] },
        }),
        hand: sql`select c.title, ev.event_type, count(*) from learning_events ev left join courses c on c.id = ev.course_id
          where ev.organization_id = ${orgId} and ev.learner_id = ${learner} group by 1, 2`,
        keys: 2,
      },
    ];
    const rows: Array<Record<string, string | number>> = [];
    for (const c of cases) {
      console.log(`Measuring ${c.name} …`);
      const e = await median(c.engine);
      const h = await median(hand(c.hand));
      // The engine answers its rows sorted by their keys; the same order by hand, for the
      // like-for-like comparison.
      const order = Array.from({ length: c.keys }, (_, i) => `${i + 1} nulls last`).join(", ");
      const hs = await median(hand(sql`select * from (${c.hand}) as h order by ${sql.raw(order)}`));
      rows.push({
        report: c.name,
        engineMs: e,
        handSqlMs: h,
        handSqlSortedMs: hs,
        ratio: Math.round((e / hs) * 100) / 100,
      });
    }

    // Export throughput, each in a process of its own so that its peak memory is the
    // writer's alone (not the embedded database's).
    console.log("Measuring exports …");
    const exports: Array<Record<string, string | number>> = [];
    for (const [format, count] of [
      ["csv", 1_000_000],
      ["csv", 4_000_000],
      ["excel", 250_000],
      ["excel", 1_000_000],
      ["pdf", 94_000],
    ] as const)
      exports.push(measureExportAlone(format, count));
    const fileDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-files-"));
    const definition = reportDefinition.parse({ measures: [{ id: "n", type: "count" }] });

    // A report straight from the database into a file, as a report job runs it: every
    // enrollment of the organization with its learner and course, read through a cursor.
    console.log("Measuring a database-to-file export …");
    const listing = compileReport(
      reportDefinition.parse({
        dimensions: [
          { entity: "learner", fields: ["email"] },
          { entity: "course", fields: ["title"] },
        ],
        measures: [
          { id: "n", type: "count" },
          { id: "progress", type: "average", field: "enrollment.progressPercent" },
        ],
      }),
      scope,
    );
    const streamed: Array<Record<string, string | number>> = [];
    // The baseline: the same aggregation by hand, read whole into memory, no file.
    const handListing = await median(
      hand(sql`select lu.email, c.title, count(*), avg(e.progress_percent) from enrollments e
        join users lu on lu.id = e.user_id left join courses c on c.id = e.course_id
        where e.organization_id = ${orgId} group by 1, 2 order by 1, 2`),
    );
    for (const format of ["csv", "excel"] as const) {
      global.gc?.();
      const before = rssMB();
      let peak = before;
      const file = openReportFile(
        {
          name: "Listing",
          format,
          base: listing.base,
          columns: listing.columns,
          definition,
          generatedAt: new Date(),
        },
        path.join(fileDir, `listing.${format}`),
      );
      const t = await timed(async () => {
        const rows = await forEachBatch(db, listing.query(), STREAM_BATCH_ROWS, async (raw) => {
          await file.write(raw.map(listing.shape));
          peak = Math.max(peak, rssMB());
        });
        await file.finish();
        return rows;
      });
      streamed.push({
        format: format === "csv" ? "CSV" : "XLSX",
        rows: t.result,
        ms: t.ms,
        rowsPerSecond: Math.round(t.result / (t.ms / 1000)),
        peakRssMB: peak,
        rssGrowthMB: peak - before,
        handSqlInMemoryMs: handListing,
      });
    }
    rmSync(fileDir, { recursive: true, force: true });

    const { describe, ...ran } = machine(engine);
    const machineInfo = {
      ...ran,
      events: EVENTS,
      enrollments: ENROLLMENTS,
      bigCourse: BIG_COURSE,
      seedSeconds: Math.round(seeded.ms / 100) / 10,
    };
    console.log(`\n${describe()}\n`);
    console.log(
      "| report | engine ms | hand SQL ms | hand SQL, same order, ms | engine ÷ hand (same order) |",
    );
    console.log("|---|---:|---:|---:|---:|");
    for (const r of rows)
      console.log(
        `| ${r.report} | ${r.engineMs} | ${r.handSqlMs} | ${r.handSqlSortedMs} | ${r.ratio} |`,
      );
    console.log(
      "\n| export | rows | ms | rows/s | file MB | peak RSS MB | RSS growth MB | live heap MB (after GC, peak) |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const r of exports)
      console.log(
        `| ${r.format} | ${r.rows} | ${r.ms} | ${r.rowsPerSecond} | ${r.fileMB} | ${r.peakRssMB} | ${r.rssGrowthMB} | ${r.liveHeapMB} |`,
      );
    console.log(
      "\n| database to file (cursor) | rows | ms | rows/s | peak RSS MB | RSS growth MB | hand SQL, whole result in memory, no file, ms |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const r of streamed)
      console.log(
        `| ${r.format} | ${r.rows} | ${r.ms} | ${r.rowsPerSecond} | ${r.peakRssMB} | ${r.rssGrowthMB} | ${r.handSqlInMemoryMs} |`,
      );
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(
      `bench/results/reports-${engine}.json`,
      `${JSON.stringify({ machine: machineInfo, rows, exports, streamed }, null, 2)}\n`,
    );
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const alone = process.env.BENCH_EXPORT?.split(":");
(alone
  ? measureExport(alone[0] as OutputFormat, Number(alone[1])).then((r) =>
      console.log(JSON.stringify(r)),
    )
  : main()
).catch((error) => {
  console.error(error);
  process.exit(1);
});
