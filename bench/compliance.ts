/**
 * `npm run bench:compliance`: compliance evaluation and reminders for one organization of
 * 100,000 people and 50 requirements, through the code a worker runs (`evaluateCompliance`,
 * `sendComplianceReminders`), next to hand-written set-based SQL doing the same work in the
 * same run, on the same database.
 *
 *   DATABASE_URL=postgres://… npm run bench:compliance -- --no-first       100,000 people on a PostgreSQL server
 *   DATABASE_URL=postgres://… npm run bench:compliance -- --people 1000    a smaller organization, every step
 *   npm run bench:compliance -- --people 200                               embedded PGlite
 *
 * 100,000 people is the default size; `--no-first` skips the code's first evaluation and first
 * round of reminders, which at that size write 12.5 million rows and take most of the run.
 *
 * (`BENCH_COMPLIANCE_PEOPLE` and `BENCH_COMPLIANCE_FIRST=0` do the same as the options.)
 *
 * Two organizations of the same shape are seeded in SQL (every value derived from row numbers):
 * A for the code, B for the baseline. On A: a first evaluation (everyone in scope is assigned,
 * enrollments created), a second one (nothing changes), a round of reminders three days later
 * (many due soon or overdue) and the same round again (nothing new). On B: the same work by
 * hand — one `INSERT … SELECT` of the enrollments and assignments for the scope of every rule,
 * one of the reminder rows — and then the code's evaluation and reminders over what the SQL
 * wrote, which must find nothing to do (the check that both did the same work, and the code's
 * steady state at full size when the first evaluation is skipped). Each step: wall time,
 * statements sent (the query counter of `src/db/connection.ts`) and rows added per table.
 * Results land in bench/results/compliance-<engine>-<people>.json (not committed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pino from "pino";
import { createServices, openDatabase, syncReferenceData } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { queryCount } from "../src/db/connection.js";
import { migrate } from "../src/db/migrate.js";
import { evaluateCompliance } from "../src/modules/compliance/evaluate.js";
import { sendComplianceReminders } from "../src/modules/compliance/reminders.js";
import { DAY, ManualClock } from "../src/platform/clock.js";
import { systemCtx } from "../src/platform/context.js";
import { machine } from "./machine.js";

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const PEOPLE = Number(option("people") ?? process.env.BENCH_COMPLIANCE_PEOPLE ?? 100_000);
const FIRST = !process.argv.includes("--no-first") && process.env.BENCH_COMPLIANCE_FIRST !== "0";
const REQUIREMENTS = 50;
const DEPARTMENTS = 12;
const LOCATIONS = ["Berlin", "Munich", "Hamburg", "Vienna", "Zurich", "Lyon", "Madrid", "Dublin"];
/** People per team (and so per manager): the organization has PEOPLE / TEAM_SIZE teams. */
const TEAM_SIZE = 50;
/** Evaluation runs at T0; reminders three days later, when many are due soon or overdue. */
const T0 = new Date("2026-12-07T06:00:00Z");
const T1 = new Date(T0.getTime() + 3 * DAY);
const databaseUrl = process.env.DATABASE_URL || undefined;
const engine = databaseUrl ? "postgres" : "pglite";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "lyceum-bench-compliance-"));
const config = loadConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  LYCEUM_DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});
const database = await openDatabase(config);
await migrate(database);
await syncReferenceData(database);
const clock = new ManualClock(T0);
const services = createServices(config, database, { clock }, pino({ level: "silent" }));
const ctx = systemCtx(services, "bench");
const db = services.db;

const day = (d: Date) => d.toISOString().slice(0, 10);
const daysBefore = (n: number) => day(new Date(T0.getTime() - n * DAY));

/**
 * One organization: departments, teams (each with its manager, the team's first person),
 * locations, hire dates spread over ten years, join dates over the last 400 days, a role held
 * by one person in twenty; a course per requirement and 50 requirements with rules of each
 * kind and each trigger.
 */
async function seed(label: string) {
  const org = await db
    .insertInto("organizations")
    .values({ name: `Compliance bench ${label}`, slug: `compliance-bench-${label}-${Date.now()}` })
    .returning("id")
    .executeTakeFirstOrThrow();
  const orgId = org.id;
  const officer = await db
    .insertInto("users")
    .values({
      email: `officer-${orgId}@bench.example`,
      password_hash: "x",
      first_name: "Compliance",
      last_name: "Officer",
      email_verified: true,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`insert into departments (organization_id, name, code)
    select ${orgId}, 'Department ' || n, 'D' || n from generate_series(1, ${DEPARTMENTS}::int) n`.execute(
    db,
  );
  await sql`insert into users (email, password_hash, first_name, last_name, email_verified)
    select 'c' || n || '-' || ${orgId} || '@bench.example', 'x', 'Person', 'N' || n, true
    from generate_series(1, ${PEOPLE}::int) n`.execute(db);
  // The person's number, kept for the joins below (a table of the benchmark's own, dropped at the end).
  await sql`create table if not exists bench_people (organization_id uuid, n int, user_id uuid not null, primary key (organization_id, n))`.execute(
    db,
  );
  await sql`insert into bench_people (organization_id, n, user_id)
    select ${orgId}, substring(email from '^c([0-9]+)-')::int, id from users where email like ${`c%-${orgId}@bench.example`}`.execute(
    db,
  );
  await sql`analyze bench_people`.execute(db);
  await sql`insert into organization_members (organization_id, user_id, department_id, status, hire_date, location, joined_at, manager_user_id)
    select ${orgId}, p.user_id, d.id, 'active',
           (${day(T0)}::date - ((p.n * 37) % 3650)),
           (${sql.val(LOCATIONS)}::text[])[1 + (p.n * 7) % ${LOCATIONS.length}],
           ${T0}::timestamptz - ((p.n * 13) % 400) * interval '1 day',
           case when (p.n - 1) % ${TEAM_SIZE} = 0 then null else lead.user_id end
    from bench_people p
    join (select id, row_number() over (order by code) - 1 as k from departments where organization_id = ${orgId}) d
      on d.k = p.n % ${DEPARTMENTS}
    join bench_people lead on lead.organization_id = p.organization_id and lead.n = ((p.n - 1) / ${TEAM_SIZE}) * ${TEAM_SIZE} + 1
    where p.organization_id = ${orgId}`.execute(db);
  await sql`insert into teams (organization_id, name, department_id, manager_user_id)
    select ${orgId}, 'Team ' || t, null, p.user_id
    from generate_series(0, ${Math.ceil(PEOPLE / TEAM_SIZE) - 1}::int) t
    join bench_people p on p.organization_id = ${orgId} and p.n = t * ${TEAM_SIZE} + 1`.execute(db);
  await sql`insert into team_members (team_id, user_id, organization_id)
    select t.id, p.user_id, ${orgId} from bench_people p
    join teams t on t.organization_id = ${orgId} and t.name = 'Team ' || ((p.n - 1) / ${TEAM_SIZE})
    where p.organization_id = ${orgId}`.execute(db);
  const role = await db
    .insertInto("roles")
    .values({ organization_id: orgId, key: "first-aider", name: "First aider" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await sql`insert into user_roles (user_id, role_id, organization_id)
    select user_id, ${role.id}, ${orgId} from bench_people where organization_id = ${orgId} and n % 20 = 0`.execute(
    db,
  );
  await sql`insert into courses (code, slug, title, instructor_id, status, organization_id)
    select 'CB-' || n || '-' || upper(right(${orgId}, 8)), 'cb-' || n || '-' || right(${orgId}, 8),
           'Required course ' || n, ${officer.id}, 'published', ${orgId}
    from generate_series(1, ${REQUIREMENTS}::int) n`.execute(db);
  await sql`insert into compliance_requirements (organization_id, name, code, jurisdiction, course_id, due_days,
              recurrence_months, manager_escalation_days, officer_escalation_days, compliance_officer_user_id)
    select ${orgId}, 'Requirement ' || n, 'REQ-' || n, 'EU', c.id,
           case when n <= 3 then 30 when n <= 15 then 60 when n <= 35 then 30 when n <= 45 then 90 else 14 end,
           12, 7, 30, ${officer.id}
    from generate_series(1, ${REQUIREMENTS}::int) n
    join courses c on c.organization_id = ${orgId} and c.title = 'Required course ' || n`.execute(
    db,
  );
  const requirements = await db
    .selectFrom("compliance_requirements")
    .select("id")
    .where("organization_id", "=", orgId)
    .orderBy(sql`substring(code from 5)::int`)
    .execute();
  const departments = await db
    .selectFrom("departments")
    .select("id")
    .where("organization_id", "=", orgId)
    .orderBy("code")
    .execute();
  const teams = await db
    .selectFrom("teams")
    .select("id")
    .where("organization_id", "=", orgId)
    .orderBy(sql`substring(name from 6)::int`)
    .limit(10)
    .execute();
  // Requirements 1–3: everyone, from a fixed date (a yearly campaign, due in ten days);
  // 4–15: a department each, from the join date; 16–25: a team each, from the hire date;
  // 26–35: a location each, from a fixed date (due in five days); 36–45: people hired in one
  // of the last ten years, from the hire date; 46–50: the first-aider role, from the join date.
  const rules = requirements.map((r, i) => {
    const base = { organization_id: orgId, requirement_id: r.id };
    if (i < 3)
      return { ...base, scope: "everyone", trigger: "fixed-date", fixed_date: daysBefore(20) };
    if (i < 15)
      return {
        ...base,
        scope: "department",
        department_id: departments[(i - 3) % departments.length]?.id ?? null,
        trigger: "join-date",
      };
    if (i < 25)
      return {
        ...base,
        scope: "team",
        team_id: teams[(i - 15) % teams.length]?.id ?? null,
        trigger: "hire-date",
      };
    if (i < 35)
      return {
        ...base,
        scope: "location",
        location: LOCATIONS[(i - 25) % LOCATIONS.length] ?? null,
        trigger: "fixed-date",
        fixed_date: daysBefore(25),
      };
    if (i < 45)
      return {
        ...base,
        scope: "hire-date",
        hired_from: daysBefore((i - 35 + 1) * 365 - 1),
        hired_to: daysBefore((i - 35) * 365),
        trigger: "hire-date",
      };
    return { ...base, scope: "role", role_key: "first-aider", trigger: "join-date" };
  });
  await db
    .insertInto("compliance_rules")
    .values(rules as never)
    .execute();
  await sql`analyze`.execute(db);
  return { orgId };
}

type Counts = Record<string, number>;

/** Rows in every table (to tell the rows a step added). */
async function rowCounts(): Promise<Counts> {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const out: Counts = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(
      db,
    );
    out[name] = r.rows[0]?.n ?? 0;
  }
  return out;
}

interface StepResult {
  step: string;
  ms: number;
  queries: number;
  rowsAdded: number;
  added: Counts;
  result: unknown;
}

const steps: StepResult[] = [];

async function step(name: string, at: Date, fn: () => Promise<unknown>): Promise<StepResult> {
  clock.set(at);
  const before = await rowCounts();
  const q0 = queryCount(db);
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  const queries = queryCount(db) - q0;
  const after = await rowCounts();
  const added: Counts = {};
  let rowsAdded = 0;
  for (const [table, n] of Object.entries(after)) {
    const diff = n - (before[table] ?? 0);
    if (diff) added[table] = diff;
    rowsAdded += diff;
  }
  const r = { step: name, ms: Math.round(ms), queries, rowsAdded, added, result };
  steps.push(r);
  console.log(
    `${name}: ${(ms / 1000).toFixed(1)} s, ${queries.toLocaleString("en")} statements, ${rowsAdded.toLocaleString("en")} rows added ${JSON.stringify(added)} → ${JSON.stringify(result)}`,
  );
  return r;
}

/**
 * The baseline's evaluation: everyone each active rule reaches (one join per kind of scope),
 * the earliest trigger per person and requirement, minus the exempt and the already assigned,
 * into a temporary table; their enrollments and assignments written by two INSERT … SELECT,
 * then the courses' enrollment counters; one transaction.
 */
async function evaluateByHand(orgId: string) {
  return db.transaction().execute(async (tx) => {
    // Who needs an assignment, in a table of the transaction's own (written once, read twice).
    await sql`
      create temporary table bench_todo on commit drop as
      with rules as (
        select r.id, r.requirement_id, r.scope, r.department_id, r.team_id, r.role_key, r.location,
               r.hired_from, r.hired_to, r.trigger, r.fixed_date, r.created_at, q.course_id, q.due_days
        from compliance_rules r join compliance_requirements q on q.id = r.requirement_id
        where r.organization_id = ${orgId} and r.is_active and q.is_active),
      members as (select user_id, department_id, location, hire_date, joined_at from organization_members
        where organization_id = ${orgId} and status = 'active'),
      reach as (
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r cross join members m where r.scope = 'everyone'
        union all
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r join members m on m.department_id = r.department_id where r.scope = 'department'
        union all
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r join team_members tm on tm.team_id = r.team_id
          join members m on m.user_id = tm.user_id where r.scope = 'team'
        union all
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r join roles ro on ro.key = r.role_key
          join user_roles ur on ur.role_id = ro.id and ur.organization_id = ${orgId}
          join members m on m.user_id = ur.user_id where r.scope = 'role'
        union all
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r join members m on lower(m.location) = lower(r.location) where r.scope = 'location'
        union all
        select r.*, m.user_id, m.hire_date, m.joined_at from rules r join members m
          on (r.hired_from is null or m.hire_date >= r.hired_from) and (r.hired_to is null or m.hire_date <= r.hired_to)
          where r.scope = 'hire-date'),
      triggered as (
        select *, case when trigger = 'fixed-date' and fixed_date is not null then fixed_date::timestamp at time zone 'UTC'
                       when trigger = 'hire-date' and hire_date is not null then hire_date::timestamp at time zone 'UTC'
                       else joined_at end as t
        from reach),
      chosen as (
        select distinct on (requirement_id, user_id) requirement_id, user_id, id as rule_id, course_id,
               t + due_days * interval '1 day' as due_at
        from triggered order by requirement_id, user_id, t, created_at)
      select c.* from chosen c
      where not exists (select 1 from compliance_assignments a where a.requirement_id = c.requirement_id and a.user_id = c.user_id)
        and not exists (select 1 from compliance_exemptions x where x.requirement_id = c.requirement_id and x.user_id = c.user_id
                        and x.revoked_at is null and (x.expires_at is null or x.expires_at > ${T0}))`.execute(
      tx,
    );
    await sql`analyze bench_todo`.execute(tx);
    await sql`insert into enrollments (user_id, course_id, organization_id, status, source, due_at, is_compliance, is_mandatory, enrolled_at)
      select user_id, course_id, ${orgId}, 'active', 'compliance', due_at, true, true, ${T0} from bench_todo`.execute(
      tx,
    );
    const inserted = await sql`
      insert into compliance_assignments (organization_id, requirement_id, user_id, rule_id, enrollment_id, cycle,
                                          assigned_at, due_at, status, created_at, updated_at)
      select ${orgId}, t.requirement_id, t.user_id, t.rule_id, e.id, 1, ${T0}, t.due_at, 'open', ${T0}, ${T0}
      from bench_todo t join enrollments e on e.user_id = t.user_id and e.course_id = t.course_id`.execute(
      tx,
    );
    await sql`update courses c set enrolled_count = c.enrolled_count + n.n
      from (select course_id, count(*)::int as n from bench_todo group by course_id) n
      where n.course_id = c.id`.execute(tx);
    return { assigned: Number(inserted.numAffectedRows ?? 0) };
  });
}

/**
 * The baseline's reminders: every step each open assignment has reached at T1 (the nearest
 * due-soon offset, the overdue window, the escalations), one INSERT … SELECT that skips the
 * steps already recorded.
 */
async function remindByHand(orgId: string) {
  const inserted = await sql`
    with open as (
      select a.id, a.user_id, q.reminder_offsets_days as offsets, q.overdue_reminder_days as every,
             q.manager_escalation_days, q.officer_escalation_days, q.compliance_officer_user_id, m.manager_user_id,
             extract(epoch from (a.due_at - ${T1})) * 1000 as until_ms
      from compliance_assignments a
      join compliance_requirements q on q.id = a.requirement_id and q.is_active
      left join organization_members m on m.user_id = a.user_id and m.organization_id = a.organization_id
      where a.organization_id = ${orgId} and a.status = 'open' and a.due_at <= ${new Date(T1.getTime() + 366 * DAY)}
        and not exists (select 1 from compliance_exemptions x where x.requirement_id = a.requirement_id and x.user_id = a.user_id
                        and x.revoked_at is null and (x.expires_at is null or x.expires_at > ${T1}))),
    overdue as (select *, floor(-until_ms / 86400000)::int as days from open where until_ms <= 0),
    steps as (
      select id, 'due-soon' as kind, 'before-' || reached || 'd' as w, user_id as recipient
      from open cross join lateral (select min(d) as reached from unnest(offsets) d where until_ms <= d * 86400000.0) r
      where until_ms > 0 and reached is not null
      union all
      select id, 'overdue', 'overdue-' || (days / every), user_id from overdue
      union all
      select id, 'escalation-manager', 'once', manager_user_id from overdue
      where manager_escalation_days is not null and manager_user_id is not null and days >= manager_escalation_days
      union all
      select id, 'escalation-officer', 'once', compliance_officer_user_id from overdue
      where officer_escalation_days is not null and compliance_officer_user_id is not null and days >= officer_escalation_days)
    insert into compliance_reminders (organization_id, assignment_id, kind, reminder_window, recipient_user_id, sent_at)
    select ${orgId}, id, kind, w, recipient, ${T1} from steps
    on conflict (assignment_id, kind, reminder_window) do nothing`.execute(db);
  return { reminders: Number(inserted.numAffectedRows ?? 0) };
}

const described = machine(engine);
console.log(
  `Compliance benchmark on ${engine}: ${PEOPLE.toLocaleString("en")} people, ${REQUIREMENTS} requirements${FIRST ? "" : " (the code's first evaluation skipped)"}`,
);
const seedStart = performance.now();
const a = FIRST ? await seed("code") : null;
const b = await seed("hand");
const seedSeconds = Math.round((performance.now() - seedStart) / 100) / 10;
console.log(`Seeded in ${seedSeconds} s`);

if (a) {
  await step("code: first evaluation", T0, () => evaluateCompliance(ctx, a.orgId));
  await step("code: second evaluation (nothing changes)", T0, () =>
    evaluateCompliance(ctx, a.orgId),
  );
  await sql`analyze`.execute(db);
  await step("code: reminders three days later", T1, () => sendComplianceReminders(ctx, a.orgId));
  await step("code: reminders again (nothing new)", T1, () =>
    sendComplianceReminders(ctx, a.orgId),
  );
}
await step("hand SQL: evaluation", T0, () => evaluateByHand(b.orgId));
await step("hand SQL: evaluation again (nothing changes)", T0, () => evaluateByHand(b.orgId));
await sql`analyze`.execute(db);
await step("hand SQL: reminders three days later", T1, () => remindByHand(b.orgId));
await step("hand SQL: reminders again (nothing new)", T1, () => remindByHand(b.orgId));
await step("code over the hand SQL's rows: evaluation (nothing to do)", T0, () =>
  evaluateCompliance(ctx, b.orgId),
);
await step("code over the hand SQL's rows: reminders (nothing new)", T1, () =>
  sendComplianceReminders(ctx, b.orgId),
);

const { describe, ...ran } = described;
console.log(`\n${describe()}\n`);
console.log("| step | s | statements | rows added |");
console.log("|---|---:|---:|---:|");
for (const s of steps)
  console.log(
    `| ${s.step} | ${(s.ms / 1000).toFixed(1)} | ${s.queries.toLocaleString("en")} | ${s.rowsAdded.toLocaleString("en")} |`,
  );
mkdirSync("bench/results", { recursive: true });
writeFileSync(
  `bench/results/compliance-${engine}-${PEOPLE}.json`,
  `${JSON.stringify({ machine: { ...ran, people: PEOPLE, requirements: REQUIREMENTS, seedSeconds }, steps }, null, 2)}\n`,
);
await sql`drop table bench_people`.execute(db);
await database.close();
rmSync(dataDir, { recursive: true, force: true });
