import { type RawBuilder, sql } from "kysely";
import type { Ability } from "../../platform/policy/engine.js";
import type { HiddenFromManagers } from "../access/learner-privacy.js";
import { TAKEN_COUNTS } from "../assessments/results.js";
import type { DimensionEntity, Granularity, MeasureType } from "./definition.js";

/**
 * The one registry of what reports can show (seed 000 §3.1.4, §4.1.4): the facts a report
 * counts (its base), the dimension entities with their fields, types and the permission that
 * reveals them, and the measures with the bases they apply to. Every SQL fragment lives here;
 * the compiler only assembles fragments the registry knows and binds callers' values.
 */

export type Base =
  | "enrollment"
  | "activity"
  | "assessment"
  | "integration-run"
  | "integration-incident"
  | "compliance-assignment";
export type FieldType = "id" | "string" | "number" | "date" | "boolean";

/** What fragments are built from: the base's columns and the organization's time zone. */
export interface Scope {
  base: Base;
  timeZone: string;
}

type Fragment = (scope: Scope) => RawBuilder<unknown>;

export interface BaseDef {
  label: string;
  /** What the base's own date (`date`) is, in words: `eventDate`, `createdAt` and `time.*`. */
  dateMeaning: string;
  from: string;
  /**
   * The learner, course, cohort and enrollment columns, and the base's own date. A base whose
   * rows are not about learners (integration sync runs) has none of the first four: the
   * entities and filters that read them are not offered for it.
   */
  learner?: string;
  course?: string;
  cohort?: string;
  enrollment?: string;
  /** The integration the row belongs to (sync runs and incidents). */
  integration?: string;
  date: string;
  /** The organization the rows belong to. */
  organization: string;
  /** Joins the base itself needs (assessment rows reach cohort through the enrollment). */
  joins: JoinName[];
  /** Rows of the base table that count (graded attempts only). */
  condition?: string;
  /** Columns the measures of this base read, named h_* (the outer query aggregates them). */
  helpers: string;
  /** Helpers that carry a person's data their privacy settings may keep from others. */
  personalHelpers?: Record<string, HiddenFromManagers>;
  /** Needed, in the report's organization and as wide as reports:read, to report on the base. */
  requires?: Ability;
  /**
   * For a base whose rows are computed rather than stored: the rows of one organization as the
   * caller's clock sees them, aliased as `from` names them (`from` then only documents it).
   */
  source?: (organizationId: string, now: Date) => RawBuilder<unknown>;
}

/**
 * Each person's standing on each compliance requirement, one row per person and requirement
 * (their current assignment cycle, or an exemption), as the compliance module computes it:
 * status, dates, cycle, the requirement's type and jurisdiction. The compliance module is
 * above reports, so it hands its query over at wiring time (src/app.ts).
 */
export type ComplianceStatusSource = (organizationId: string, now: Date) => RawBuilder<unknown>;
let complianceStatus: ComplianceStatusSource | null = null;

export function provideComplianceStatus(source: ComplianceStatusSource): void {
  complianceStatus = source;
}

function complianceSource(organizationId: string, now: Date): RawBuilder<unknown> {
  if (!complianceStatus) throw new Error("The compliance status query was not provided");
  return sql`${complianceStatus(organizationId, now)} as cs`;
}

/** The sync run's number of records read: every outcome (created … failed). */
const RUN_RECORDS =
  "(r.created_count + r.updated_count + r.unchanged_count + r.skipped_count + r.failed_count)";

/**
 * Whether a sync run kept the integration's service level: a successful run (succeeded or
 * partial) that finished within the integration's SLA hours of the previous successful run's
 * finish. Null (not judged) for unsuccessful runs, integrations without an SLA and an
 * integration's first successful run.
 */
/**
 * How long an incident was open, in hours (2 decimals): until it was resolved, or up to now
 * for one still open.
 */
const INCIDENT_HOURS_OPEN =
  "round((extract(epoch from (coalesce(inc.resolved_at, now()) - inc.opened_at)) / 3600)::numeric, 2)";

/** Hours from an incident's opening to its resolution; null while it is open. */
const INCIDENT_HOURS_TO_RESOLVE =
  "(case when inc.status = 'resolved' and inc.resolved_at is not null then extract(epoch from (inc.resolved_at - inc.opened_at)) / 3600 end)";

const RUN_WITHIN_SLA = `(case when r.status in ('succeeded', 'partial') and li.sla_hours is not null and r.finished_at is not null then (select r.finished_at - max(p.finished_at) <= make_interval(hours => li.sla_hours) from integration_sync_runs p where p.integration_id = r.integration_id and p.organization_id = r.organization_id and p.dry_run = false and p.status in ('succeeded', 'partial') and p.finished_at < r.finished_at) end)`;

export const BASES: Record<Base, BaseDef> = {
  enrollment: {
    label: "Enrollments",
    dateMeaning: "when the learner enrolled (enrolled_at)",
    from: "enrollments as e",
    learner: "e.user_id",
    course: "e.course_id",
    cohort: "e.cohort_id",
    enrollment: "e.id",
    date: "e.enrolled_at",
    organization: "e.organization_id",
    joins: [],
    helpers:
      "e.status as h_status, e.started_at is not null as h_started, extract(epoch from (e.completed_at - e.enrolled_at)) as h_to_complete, e.time_spent_seconds as h_study",
    personalHelpers: { h_study: "activity" },
  },
  activity: {
    label: "Learning events",
    dateMeaning: "when the event happened (occurred_at)",
    from: "learning_events as ev",
    learner: "ev.learner_id",
    course: "ev.course_id",
    cohort: "ev.cohort_id",
    enrollment: "ev.enrollment_id",
    date: "ev.occurred_at",
    organization: "ev.organization_id",
    joins: [],
    helpers: "ev.event_type as h_event",
  },
  assessment: {
    label: "Graded quiz attempts",
    dateMeaning: "when the attempt was submitted (submitted_at)",
    from: "quiz_attempts as qa",
    learner: "qa.user_id",
    course: "qa.course_id",
    cohort: "e.cohort_id",
    enrollment: "qa.enrollment_id",
    date: "qa.submitted_at",
    organization: "e.organization_id",
    joins: ["enrollment", "quiz"],
    condition: "qa.status = 'graded'",
    // Pass and fail rates count only quizzes that are passed or failed.
    helpers: `(case when q.kind in (${TAKEN_COUNTS.map((k) => `'${k}'`).join(", ")}) then null else qa.passed end) as h_passed, qa.score as h_score`,
    personalHelpers: { h_passed: "scores", h_score: "scores" },
  },
  "integration-run": {
    label: "Integration sync runs",
    dateMeaning:
      "when the run started (started_at; when it was requested for a run not started yet)",
    from: "integration_sync_runs as r",
    integration: "r.integration_id",
    date: "coalesce(r.started_at, r.created_at)",
    organization: "r.organization_id",
    joins: ["integration"],
    // Dry runs change nothing and are not monitored.
    condition: "r.dry_run = false",
    helpers: `r.status as h_run_status, ${RUN_RECORDS} as h_records, r.failed_count as h_failed_records, r.remote_calls as h_remote_calls, r.remote_ms as h_remote_ms, ${RUN_WITHIN_SLA} as h_within_sla`,
    requires: "integrations:manage",
  },
  "integration-incident": {
    label: "Integration incidents",
    dateMeaning: "when the incident was opened (opened_at)",
    from: "integration_incidents as inc",
    integration: "inc.integration_id",
    date: "inc.opened_at",
    organization: "inc.organization_id",
    joins: ["integration"],
    helpers: `inc.status as h_incident_status, ${INCIDENT_HOURS_TO_RESOLVE} as h_hours_to_resolve`,
    requires: "integrations:manage",
  },
  "compliance-assignment": {
    label: "Compliance assignments",
    dateMeaning: "when the current assignment is due (due_at; empty for a person only exempt)",
    from: "compliance status rows as cs",
    source: complianceSource,
    learner: "cs.user_id",
    course: "cs.course_id",
    date: "cs.due_at",
    organization: "cs.organization_id",
    joins: [],
    helpers: "cs.status as h_compliance_status",
    requires: "compliance:read",
  },
};

/**
 * A learning column of a base (learner, course, cohort, enrollment); only entities and filters
 * of the bases that have it ask for it, so its absence is a mistake in the registry.
 */
export function columnOf(
  b: BaseDef,
  name: "learner" | "course" | "cohort" | "enrollment" | "integration",
): string {
  const column = b[name];
  if (!column) throw new Error(`${b.label} have no ${name} column`);
  return column;
}

export type JoinName =
  | "learner"
  | "course"
  | "cohort"
  | "instructor"
  | "department"
  | "enrollment"
  | "quiz"
  | "certificate"
  | "integration";

/**
 * Defence in depth for tenancy: a dimension row joins only when it belongs to the report
 * row's organization or to the platform catalog, so an id of another organization that
 * slipped into a row (stored before references were checked, or by a bug) shows as empty,
 * never as that organization's course title, cohort name or instructor.
 */
function inCatalogOf(column: string, b: BaseDef): string {
  return `(${column} is null or ${column} = ${b.organization})`;
}

/** Each join, in the order they may depend on one another. */
export const JOINS: Array<{ name: JoinName; sql: (b: BaseDef) => string; needs?: JoinName[] }> = [
  {
    name: "enrollment",
    sql: (b) =>
      b.from.startsWith("enrollments")
        ? ""
        : `left join enrollments e on e.id = ${columnOf(b, "enrollment")} and e.organization_id = ${b.organization}`,
  },
  { name: "learner", sql: (b) => `left join users lu on lu.id = ${columnOf(b, "learner")}` },
  {
    name: "course",
    sql: (b) =>
      `left join courses c on c.id = ${columnOf(b, "course")} and ${inCatalogOf("c.organization_id", b)}`,
  },
  {
    name: "cohort",
    sql: (b) =>
      `left join cohorts ch on ch.id = ${columnOf(b, "cohort")} and ${inCatalogOf("ch.organization_id", b)} and exists (select 1 from courses chc where chc.id = ch.course_id and ${inCatalogOf("chc.organization_id", b)})`,
  },
  {
    name: "instructor",
    sql: () => `left join users iu on iu.id = ${INSTRUCTOR_ID}`,
    needs: ["course", "cohort"],
  },
  {
    name: "department",
    sql: (b) =>
      `left join organization_members om on om.user_id = ${columnOf(b, "learner")} and om.organization_id = ${b.organization} left join departments d on d.id = om.department_id`,
  },
  {
    name: "quiz",
    sql: (b) =>
      `left join quizzes q on q.id = qa.quiz_id and exists (select 1 from courses qc where qc.id = q.course_id and ${inCatalogOf("qc.organization_id", b)})`,
  },
  {
    name: "integration",
    // The run's or incident's integration, of the row's organization only (removed
    // integrations included: their runs and incidents still name them).
    sql: (b) =>
      `left join lms_integrations li on li.id = ${columnOf(b, "integration")} and li.organization_id = ${b.organization}`,
  },
  {
    name: "certificate",
    // The enrollment's certificate that counts (see certificateOrder).
    sql: () =>
      `left join lateral (select x.* from certificates x where x.enrollment_id = e.id order by ${certificateOrder("x")} limit 1) cert on true`,
    needs: ["enrollment"],
  },
];

/**
 * Who taught a report row: the instructor of its cohort, or the course's owner when the row has
 * no cohort or the cohort names no instructor (self-paced learning, a cohort run by the owner).
 * Needs the course and cohort joins; the instructor dimension and the instructorIds filter both
 * use it.
 */
export const INSTRUCTOR_ID = "coalesce(ch.instructor_id, c.instructor_id)";

/**
 * Which of an enrollment's certificates counts, a revoked one having maybe been reissued: the
 * one not revoked (there is at most one), else the latest issued. The certificate dimension and
 * the real-time transcript both pick it by this order, so they never disagree.
 */
export function certificateOrder(alias: string): string {
  return `(${alias}.revoked_at is null) desc, ${alias}.issued_at desc, ${alias}.id desc`;
}

/**
 * A certificate's status as reports show it: none, revoked, expired (at or after its expiry, by
 * the database's clock) or valid.
 */
export function certificateStatus(alias: string): string {
  return `(case when ${alias}.id is null then 'none' when ${alias}.revoked_at is not null then 'revoked' when ${alias}.expires_at <= now() then 'expired' else 'valid' end)`;
}

export interface FieldDef {
  label: string;
  /**
   * A person's data that their privacy settings may keep from others (scores, activity,
   * certificates), or that names them (identity); all of them are blank for a person whose
   * processing is restricted (compile.ts, docs/privacy.md).
   */
  personal?: HiddenFromManagers | "identity";
  type: FieldType;
  /** What the value is, where the label leaves a doubt (which date, which name). */
  description?: string;
  expr: Fragment;
}

export interface EntityDef {
  label: string;
  /** What the entity's rows are, where the label leaves a doubt. */
  description?: string;
  /** Bases the entity can describe; null when the platform does not hold it yet. */
  bases: Base[];
  joins: JoinName[];
  /** Needed, in the report's organization, to see the entity's fields. */
  requires?: Ability;
  unavailable?: string;
  fields: Record<string, FieldDef>;
}

const raw =
  (text: string): Fragment =>
  () =>
    sql.raw(text);
/** The bases whose rows are about learners (every entity of learning describes them). */
const ALL: Base[] = ["enrollment", "activity", "assessment"];
/** Every base, for what applies to any row (time, measures of a field). */
const EVERY: Base[] = [...ALL, "integration-run", "integration-incident", "compliance-assignment"];
const RUNS: Base[] = ["integration-run"];
const COMPLIANCE: Base[] = ["compliance-assignment"];
/** Bases whose rows are about a person (learner and department entities describe them). */
const PEOPLE: Base[] = [...ALL, ...COMPLIANCE];
const INCIDENTS: Base[] = ["integration-incident"];

/** Truncates a timestamp to a granularity in the organization's time zone. */
export function truncate(column: string, granularity: Granularity): Fragment {
  return (scope) =>
    sql`date_trunc(${sql.lit(granularity)}, ${sql.raw(column)} at time zone ${scope.timeZone})`;
}

const timeOf = (granularity: Granularity): FieldDef => ({
  label: granularity[0]?.toUpperCase() + granularity.slice(1),
  type: "date",
  expr: (scope) => truncate(BASES[scope.base].date, granularity)(scope),
});

export const ENTITIES: Record<DimensionEntity, EntityDef> = {
  learner: {
    label: "Learner",
    bases: PEOPLE,
    joins: ["learner"],
    requires: "members:read",
    fields: {
      id: { personal: "identity", label: "Learner id", type: "id", expr: raw("lu.id") },
      name: {
        personal: "identity",
        label: "Name",
        type: "string",
        description:
          "First and last name as registered (as certificates print it); never the display name",
        expr: raw("(lu.first_name || ' ' || lu.last_name)"),
      },
      displayName: {
        personal: "identity",
        label: "Display name",
        type: "string",
        description: "The name the person chose to be shown by, else first and last name",
        expr: raw("coalesce(nullif(lu.display_name, ''), lu.first_name || ' ' || lu.last_name)"),
      },
      firstName: {
        personal: "identity",
        label: "First name",
        type: "string",
        expr: raw("lu.first_name"),
      },
      lastName: {
        personal: "identity",
        label: "Last name",
        type: "string",
        expr: raw("lu.last_name"),
      },
      email: { personal: "identity", label: "Email", type: "string", expr: raw("lu.email") },
    },
  },
  course: {
    label: "Course",
    bases: PEOPLE,
    joins: ["course"],
    fields: {
      id: { label: "Course id", type: "id", expr: raw("c.id") },
      code: { label: "Code", type: "string", expr: raw("c.code") },
      title: { label: "Title", type: "string", expr: raw("c.title") },
      category: { label: "Category", type: "string", expr: raw("c.category") },
      level: { label: "Level", type: "string", expr: raw("c.level") },
      delivery: { label: "Delivery", type: "string", expr: raw("c.delivery") },
    },
  },
  class: {
    label: "Class (cohort)",
    bases: ALL,
    joins: ["cohort"],
    fields: {
      id: { label: "Cohort id", type: "id", expr: raw("ch.id") },
      name: { label: "Cohort", type: "string", expr: raw("ch.name") },
      startsAt: {
        label: "Starts",
        type: "date",
        description: "When the cohort starts",
        expr: raw("ch.starts_at"),
      },
      status: { label: "Cohort status", type: "string", expr: raw("ch.status") },
    },
  },
  department: {
    label: "Department",
    bases: PEOPLE,
    joins: ["department"],
    fields: {
      id: { label: "Department id", type: "id", expr: raw("d.id") },
      name: { label: "Department", type: "string", expr: raw("d.name") },
      code: { label: "Department code", type: "string", expr: raw("d.code") },
    },
  },
  instructor: {
    label: "Instructor (the cohort's, else the course owner)",
    description:
      "Who taught the row: its cohort's instructor, or the course's owner when the row has no cohort or its cohort names no instructor",
    bases: ALL,
    joins: ["course", "cohort", "instructor"],
    requires: "members:read",
    fields: {
      id: { label: "Instructor id", type: "id", expr: raw("iu.id") },
      name: {
        label: "Instructor",
        type: "string",
        expr: raw("(iu.first_name || ' ' || iu.last_name)"),
      },
      email: { label: "Instructor email", type: "string", expr: raw("iu.email") },
    },
  },
  enrollment: {
    label: "Enrollment",
    bases: ALL,
    joins: ["enrollment"],
    fields: {
      id: { label: "Enrollment id", type: "id", expr: raw("e.id") },
      status: { label: "Status", type: "string", expr: raw("e.status") },
      source: { label: "Source", type: "string", expr: raw("e.source") },
      enrolledAt: {
        label: "Enrolled",
        type: "date",
        description: "When the learner enrolled",
        expr: raw("e.enrolled_at"),
      },
      completedAt: {
        label: "Completed",
        type: "date",
        description: "When the enrollment was completed; empty until then",
        expr: raw("e.completed_at"),
      },
      dueAt: {
        label: "Due",
        type: "date",
        description: "When the course is due; empty without a due date",
        expr: raw("e.due_at"),
      },
      progressPercent: { label: "Progress %", type: "number", expr: raw("e.progress_percent") },
      timeSpentSeconds: {
        personal: "activity",
        label: "Study time (s)",
        type: "number",
        expr: raw("e.time_spent_seconds"),
      },
      isMandatory: { label: "Mandatory", type: "boolean", expr: raw("e.is_mandatory") },
      isCompliance: { label: "Compliance", type: "boolean", expr: raw("e.is_compliance") },
    },
  },
  activity: {
    label: "Activity (learning events)",
    bases: ["activity"],
    joins: [],
    fields: {
      eventType: {
        personal: "activity",
        label: "Event type",
        type: "string",
        expr: raw("ev.event_type"),
      },
      occurredAt: {
        personal: "activity",
        label: "Occurred",
        type: "date",
        description: "When the event happened (not when it was received)",
        expr: raw("ev.occurred_at"),
      },
      durationSeconds: {
        personal: "activity",
        label: "Duration (s)",
        type: "number",
        expr: raw("ev.duration_seconds"),
      },
      source: { personal: "activity", label: "Source", type: "string", expr: raw("ev.source") },
    },
  },
  assessment: {
    label: "Assessment (graded quiz attempts)",
    bases: ["assessment"],
    joins: ["quiz"],
    requires: "progress:read",
    fields: {
      quizId: { label: "Quiz id", type: "id", expr: raw("q.id") },
      quizTitle: { label: "Quiz", type: "string", expr: raw("q.title") },
      kind: { label: "Kind", type: "string", expr: raw("q.kind") },
      score: { personal: "scores", label: "Score", type: "number", expr: raw("qa.score") },
      passed: {
        personal: "scores",
        label: "Passed",
        type: "boolean",
        description:
          "The attempt reached the quiz's passing score; empty without a score. Pass and fail rates leave out quizzes nobody passes or fails",
        expr: raw("qa.passed"),
      },
      attemptNumber: { label: "Attempt", type: "number", expr: raw("qa.attempt_number") },
      submittedAt: {
        label: "Submitted",
        type: "date",
        description: "When the attempt was submitted (not when it was graded)",
        expr: raw("qa.submitted_at"),
      },
      timeSpentSeconds: {
        personal: "activity",
        label: "Time taken (s)",
        type: "number",
        expr: raw("qa.time_spent_seconds"),
      },
    },
  },
  certificate: {
    label: "Certificate (the enrollment's latest)",
    bases: ["enrollment"],
    joins: ["certificate"],
    requires: "certificates:read",
    fields: {
      number: {
        personal: "certificates",
        label: "Certificate",
        type: "string",
        expr: raw("cert.certificate_number"),
      },
      issuedAt: {
        personal: "certificates",
        label: "Issued",
        type: "date",
        expr: raw("cert.issued_at"),
      },
      expiresAt: {
        personal: "certificates",
        label: "Expires",
        type: "date",
        expr: raw("cert.expires_at"),
      },
      status: {
        personal: "certificates",
        label: "Certificate status",
        type: "string",
        expr: raw(certificateStatus("cert")),
      },
    },
  },
  time: {
    label: "Time (the base's date, in the organization's time zone)",
    description:
      "The base's own date — when the learner enrolled (enrollments), when the event happened (learning events), when the attempt was submitted (graded attempts), when the sync run started (integration sync runs), when the incident was opened (integration incidents) — cut to the hour … year in the organization's time zone; the value is the start of the period, as local time",
    bases: EVERY,
    joins: [],
    fields: {
      hour: timeOf("hour"),
      day: timeOf("day"),
      week: timeOf("week"),
      month: timeOf("month"),
      quarter: timeOf("quarter"),
      year: timeOf("year"),
    },
  },
  integration: {
    label: "Integration",
    description:
      "The external system the sync run talked to, or the incident is about (an LMS integration)",
    bases: [...RUNS, ...INCIDENTS],
    joins: ["integration"],
    requires: "integrations:manage",
    fields: {
      id: { label: "Integration id", type: "id", expr: raw("li.id") },
      name: { label: "Integration", type: "string", expr: raw("li.name") },
      code: { label: "Integration code", type: "string", expr: raw("li.code") },
      type: {
        label: "System type",
        type: "string",
        description: "The kind of system: moodle, canvas, …",
        expr: raw("li.lms_type"),
      },
      direction: {
        label: "Integration direction",
        type: "string",
        description: "What the integration is set up for: import, export or both",
        expr: raw("li.direction"),
      },
      active: { label: "Active", type: "boolean", expr: raw("li.is_active") },
      slaHours: {
        label: "SLA (hours)",
        type: "number",
        description:
          "A successful sync at least every so many hours; empty without a service level",
        expr: raw("li.sla_hours"),
      },
    },
  },
  "sync-run": {
    label: "Sync run",
    description: "One run of an integration's sync (dry runs are not counted)",
    bases: RUNS,
    joins: [],
    requires: "integrations:manage",
    fields: {
      id: { label: "Run id", type: "id", expr: raw("r.id") },
      status: {
        label: "Run status",
        type: "string",
        description: "queued, running, succeeded, partial, failed or cancelled",
        expr: raw("r.status"),
      },
      trigger: {
        label: "Trigger",
        type: "string",
        description: "What started the run: manual, schedule, retry, upload, sftp or webhook",
        expr: raw("r.trigger"),
      },
      direction: {
        label: "Run direction",
        type: "string",
        description: "import or export",
        expr: raw("r.direction"),
      },
      startedAt: { label: "Started", type: "date", expr: raw("r.started_at") },
      finishedAt: { label: "Finished", type: "date", expr: raw("r.finished_at") },
      durationSeconds: {
        label: "Duration (s)",
        type: "number",
        description: "From start to finish, in seconds; empty until the run finished",
        expr: raw("round(extract(epoch from (r.finished_at - r.started_at))::numeric, 3)"),
      },
      recordsRead: {
        label: "Records read",
        type: "number",
        description: "Records created, updated, unchanged, skipped and failed",
        expr: raw(RUN_RECORDS),
      },
      created: { label: "Created", type: "number", expr: raw("r.created_count") },
      updated: { label: "Updated", type: "number", expr: raw("r.updated_count") },
      unchanged: { label: "Unchanged", type: "number", expr: raw("r.unchanged_count") },
      skipped: { label: "Skipped", type: "number", expr: raw("r.skipped_count") },
      failed: { label: "Failed records", type: "number", expr: raw("r.failed_count") },
      pages: { label: "Pages", type: "number", expr: raw("r.pages") },
      remoteCalls: {
        label: "External calls",
        type: "number",
        description: "Calls made to the external system",
        expr: raw("r.remote_calls"),
      },
      averageLatencyMs: {
        label: "Average latency (ms)",
        type: "number",
        description:
          "The external system's time per call in this run, in milliseconds; empty without a call",
        expr: raw("round(r.remote_ms::numeric / nullif(r.remote_calls, 0), 1)"),
      },
      withinSla: {
        label: "Within SLA",
        type: "boolean",
        description:
          "A successful run that finished within the integration's SLA hours of the previous successful run; empty for other runs, the first success and integrations without an SLA",
        expr: raw(RUN_WITHIN_SLA),
      },
      error: { label: "Error", type: "string", expr: raw("r.error") },
    },
  },
  incident: {
    label: "Incident",
    description:
      "An integration's incident: opened after repeated failed runs, resolved by the next run that ends well",
    bases: INCIDENTS,
    joins: [],
    requires: "integrations:manage",
    fields: {
      id: { label: "Incident id", type: "id", expr: raw("inc.id") },
      status: {
        label: "Incident status",
        type: "string",
        description: "open or resolved",
        expr: raw("inc.status"),
      },
      failures: {
        label: "Failed runs",
        type: "number",
        description:
          "Failed runs in a row the incident has seen (it opens at the integration's threshold)",
        expr: raw("inc.failures"),
      },
      lastError: {
        label: "Last error",
        type: "string",
        description: "The error of the incident's latest failed run",
        expr: raw("inc.last_error"),
      },
      openedAt: { label: "Opened", type: "date", expr: raw("inc.opened_at") },
      resolvedAt: {
        label: "Resolved",
        type: "date",
        description: "When a run that ended well resolved the incident; empty while it is open",
        expr: raw("inc.resolved_at"),
      },
      hoursOpen: {
        label: "Hours open",
        type: "number",
        description:
          "From opening to resolution, in hours (2 decimals); for an incident still open, up to now",
        expr: raw(INCIDENT_HOURS_OPEN),
      },
    },
  },
  compliance: {
    label: "Compliance",
    description:
      "A person's standing on a compliance requirement: their current assignment cycle, or their exemption",
    bases: COMPLIANCE,
    joins: [],
    requires: "compliance:read",
    fields: {
      requirementId: { label: "Requirement id", type: "id", expr: raw("cs.requirement_id") },
      requirement: { label: "Requirement", type: "string", expr: raw("cs.requirement_name") },
      type: {
        label: "Compliance type",
        type: "string",
        description: "gdpr, data-privacy, industry-standards, …",
        expr: raw("cs.compliance_type"),
      },
      jurisdiction: { label: "Jurisdiction", type: "string", expr: raw("cs.jurisdiction") },
      status: {
        label: "Compliance status",
        type: "string",
        description:
          "compliant, due-soon, overdue, expired, exempt, in-progress or not-started, as the compliance status shows it",
        expr: raw("cs.status"),
      },
      dueAt: { label: "Due", type: "date", expr: raw("cs.due_at") },
      completedAt: {
        label: "Completed",
        type: "date",
        description: "When the current cycle was completed; empty until then",
        expr: raw("cs.completed_at"),
      },
      expiresAt: {
        label: "Expires",
        type: "date",
        description: "When the current cycle's completion expires; empty if it does not",
        expr: raw("cs.expires_at"),
      },
      cycle: {
        label: "Cycle",
        type: "number",
        description: "The assignment's cycle (1 the first, then one per recertification)",
        expr: raw("cs.cycle"),
      },
    },
  },
  program: {
    label: "Program (learning path)",
    bases: [],
    joins: [],
    unavailable: "Learning paths are not a report dimension yet",
    fields: {},
  },
  "scorm-attempt": {
    label: "SCORM attempt",
    bases: [],
    joins: [],
    unavailable: "SCORM packages are not supported yet",
    fields: {},
  },
};

export interface MeasureDef {
  label: string;
  bases: Base[];
  /** Whether the measure aggregates a field (and whether it must be a number). */
  field?: "any" | "number";
  format: "number" | "percent" | "duration";
  /** A share of the total makes sense (counts and sums). */
  additive: boolean;
  /** Exact definition, as documented. */
  definition: string;
  sql: (field: RawBuilder<unknown> | null) => RawBuilder<unknown>;
}

/** Measures aggregate the inner query's columns: `v` (the measure's field) and the h_* helpers. */
const rate = (condition: string) =>
  sql`round(100.0 * count(*) filter (where ${sql.raw(condition)}) / nullif(count(*), 0), 2)`;

/** Runs with one of these statuses, as a percentage of the finished runs. */
const runRate = (statuses: string) =>
  sql`round(100.0 * count(*) filter (where h_run_status in (${sql.raw(statuses)})) / nullif(count(*) filter (where h_run_status in ('succeeded', 'partial', 'failed')), 0), 2)`;

/** Rows of the compliance base with one status. */
const withStatus = (statuses: string) =>
  sql`count(*) filter (where h_compliance_status in (${sql.raw(statuses)}))`;

export const MEASURES: Record<MeasureType, MeasureDef> = {
  count: {
    label: "Count",
    bases: ALL,
    format: "number",
    additive: true,
    definition: "Rows of the base: enrollments, learning events or graded attempts.",
    sql: () => sql`count(*)`,
  },
  "count-distinct": {
    label: "Distinct count",
    bases: EVERY,
    field: "any",
    format: "number",
    additive: false,
    definition: "Different non-empty values of the field (neither missing nor empty text).",
    sql: (f) => sql`count(distinct ${f}) filter (where ${f}::text <> '')`,
  },
  sum: {
    label: "Sum",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: true,
    definition: "Sum of the field over the rows (empty values skipped).",
    sql: (f) => sql`sum(${f})`,
  },
  average: {
    label: "Average",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "Arithmetic mean of the field's non-empty values.",
    sql: (f) => sql`round(avg(${f})::numeric, 4)`,
  },
  median: {
    label: "Median",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "The continuous median (50th percentile, interpolated) of the field.",
    sql: (f) => sql`percentile_cont(0.5) within group (order by ${f})`,
  },
  min: {
    label: "Minimum",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "Smallest value of the field.",
    sql: (f) => sql`min(${f})`,
  },
  max: {
    label: "Maximum",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "Largest value of the field.",
    sql: (f) => sql`max(${f})`,
  },
  "std-dev": {
    label: "Standard deviation",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "Sample standard deviation of the field (n − 1 in the denominator).",
    sql: (f) => sql`round(stddev_samp(${f})::numeric, 4)`,
  },
  variance: {
    label: "Variance",
    bases: EVERY,
    field: "number",
    format: "number",
    additive: false,
    definition: "Sample variance of the field (n − 1 in the denominator).",
    sql: (f) => sql`round(var_samp(${f})::numeric, 4)`,
  },
  "completion-rate": {
    label: "Completion rate",
    bases: ["enrollment"],
    format: "percent",
    additive: false,
    definition:
      "Enrollments with status completed, as a percentage of all enrollments in the report (every status).",
    sql: () => rate("h_status = 'completed'"),
  },
  "dropout-rate": {
    label: "Dropout rate",
    bases: ["enrollment"],
    format: "percent",
    additive: false,
    definition: "Enrollments with status dropped, as a percentage of all enrollments.",
    sql: () => rate("h_status = 'dropped'"),
  },
  "retention-rate": {
    label: "Retention rate",
    bases: ["enrollment"],
    format: "percent",
    additive: false,
    definition:
      "Enrollments still active or completed, as a percentage of all enrollments (dropped, expired, suspended and unpaid ones are not retained).",
    sql: () => rate("h_status in ('active', 'completed')"),
  },
  "engagement-rate": {
    label: "Engagement rate",
    bases: ["enrollment"],
    format: "percent",
    additive: false,
    definition:
      "Enrollments whose learner started learning (opened a lesson or quiz: started_at is set), as a percentage of all enrollments.",
    sql: () => rate("h_started"),
  },
  "avg-time-to-complete": {
    label: "Average time to complete",
    bases: ["enrollment"],
    format: "duration",
    additive: false,
    definition:
      "Mean of completed_at − enrolled_at over completed enrollments, in seconds (calendar time, not study time).",
    sql: () => sql`round(avg(h_to_complete) filter (where h_status = 'completed'))`,
  },
  "avg-study-time": {
    label: "Average study time",
    bases: ["enrollment"],
    format: "duration",
    additive: false,
    definition:
      "Mean recorded study time per enrollment in seconds (heartbeats capped by real elapsed time).",
    sql: () => sql`round(avg(h_study))`,
  },
  "pass-rate": {
    label: "Pass rate",
    bases: ["assessment"],
    format: "percent",
    additive: false,
    definition:
      "Graded attempts that passed, as a percentage of the graded attempts with a pass mark at quizzes that are passed or failed (surveys, practice quizzes, pre-course and self-assessments are left out).",
    sql: () => sql`round(100.0 * count(*) filter (where h_passed) / nullif(count(h_passed), 0), 2)`,
  },
  "fail-rate": {
    label: "Fail rate",
    bases: ["assessment"],
    format: "percent",
    additive: false,
    definition:
      "Graded attempts that failed, as a percentage of the graded attempts with a pass mark at quizzes that are passed or failed (surveys, practice quizzes, pre-course and self-assessments are left out).",
    sql: () =>
      sql`round(100.0 * count(*) filter (where h_passed = false) / nullif(count(h_passed), 0), 2)`,
  },
  "avg-score": {
    label: "Average score",
    bases: ["assessment"],
    format: "percent",
    additive: false,
    definition: "Mean score (0–100) of graded attempts that have a score.",
    sql: () => sql`round(avg(h_score), 2)`,
  },
  "event-count": {
    label: "Event count",
    bases: ["activity"],
    format: "number",
    additive: true,
    definition: "Learning events recorded.",
    sql: () => sql`count(*)`,
  },
  "run-count": {
    label: "Sync runs",
    bases: RUNS,
    format: "number",
    additive: true,
    definition:
      "Sync runs of the organization's integrations (every status; dry runs are not counted).",
    sql: () => sql`count(*)`,
  },
  "success-rate": {
    label: "Success rate",
    bases: RUNS,
    format: "percent",
    additive: false,
    definition:
      "Runs that succeeded or partly succeeded, as a percentage of the finished runs (succeeded, partial or failed; queued, running and cancelled ones are left out).",
    sql: () => runRate("'succeeded', 'partial'"),
  },
  "error-rate": {
    label: "Error rate",
    bases: RUNS,
    format: "percent",
    additive: false,
    definition:
      "Runs that failed, as a percentage of the finished runs (succeeded, partial or failed).",
    sql: () => runRate("'failed'"),
  },
  "avg-call-latency": {
    label: "Average latency per call",
    bases: RUNS,
    format: "number",
    additive: false,
    definition:
      "The external system's time per call in milliseconds: the runs' time waiting for it over their calls to it (runs without a call are left out).",
    sql: () => sql`round(sum(h_remote_ms)::numeric / nullif(sum(h_remote_calls), 0), 1)`,
  },
  "records-per-run": {
    label: "Records per run",
    bases: RUNS,
    format: "number",
    additive: false,
    definition:
      "Mean records read (created, updated, unchanged, skipped and failed) per finished run (succeeded, partial or failed).",
    sql: () =>
      sql`round(avg(h_records) filter (where h_run_status in ('succeeded', 'partial', 'failed')), 2)`,
  },
  "failed-records": {
    label: "Failed records",
    bases: RUNS,
    format: "number",
    additive: true,
    definition: "Records that failed in the runs (each waits as a dead letter).",
    sql: () => sql`coalesce(sum(h_failed_records), 0)`,
  },
  "sla-met-rate": {
    label: "SLA met",
    bases: RUNS,
    format: "percent",
    additive: false,
    definition:
      "Successful runs that finished within the integration's SLA hours of its previous successful run, as a percentage of the successful runs judged (integrations with an SLA, after their first success).",
    sql: () =>
      sql`round(100.0 * count(*) filter (where h_within_sla) / nullif(count(h_within_sla), 0), 2)`,
  },
  "incident-count": {
    label: "Incidents",
    bases: INCIDENTS,
    format: "number",
    additive: true,
    definition:
      "Incidents of the organization's integrations (open and resolved), each opened after the integration's threshold of failed runs in a row.",
    sql: () => sql`count(*)`,
  },
  "open-incidents": {
    label: "Open incidents",
    bases: INCIDENTS,
    format: "number",
    additive: true,
    definition: "Incidents not resolved yet (no run has ended well since they opened).",
    sql: () => sql`count(*) filter (where h_incident_status = 'open')`,
  },
  "avg-hours-to-resolve": {
    label: "Average hours to resolve",
    bases: INCIDENTS,
    format: "number",
    additive: false,
    definition:
      "Mean of resolved_at − opened_at over the resolved incidents, in hours (open incidents are left out).",
    sql: () => sql`round(avg(h_hours_to_resolve)::numeric, 2)`,
  },
  "median-hours-to-resolve": {
    label: "Median hours to resolve",
    bases: INCIDENTS,
    format: "number",
    additive: false,
    definition:
      "The continuous median (interpolated) of resolved_at − opened_at over the resolved incidents, in hours (open incidents are left out).",
    sql: () =>
      sql`round((percentile_cont(0.5) within group (order by h_hours_to_resolve))::numeric, 2)`,
  },
  "compliance-assignments": {
    label: "Assignments",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition:
      "People who must meet a requirement (their current assignment cycle, or their exemption); people who left its scope are not counted.",
    sql: () => sql`count(*)`,
  },
  "compliant-count": {
    label: "Compliant",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition: "Assignments whose status is compliant.",
    sql: () => withStatus("'compliant'"),
  },
  "overdue-count": {
    label: "Overdue",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition: "Assignments whose status is overdue (past their due date, not completed).",
    sql: () => withStatus("'overdue'"),
  },
  "expired-count": {
    label: "Expired",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition: "Assignments whose status is expired (the completion that counted has expired).",
    sql: () => withStatus("'expired'"),
  },
  "exempt-count": {
    label: "Exempt",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition: "People with an exemption in force.",
    sql: () => withStatus("'exempt'"),
  },
  "compliance-score": {
    label: "Compliance score",
    bases: COMPLIANCE,
    format: "percent",
    additive: false,
    definition:
      "Compliant assignments as a percentage of those not exempt, rounded to 1 decimal (the compliance summary's score); empty when everyone is exempt.",
    sql: () =>
      sql`round(100.0 * ${withStatus("'compliant'")} / nullif(count(*) filter (where h_compliance_status <> 'exempt'), 0), 1)`,
  },
  violations: {
    label: "Violations",
    bases: COMPLIANCE,
    format: "number",
    additive: true,
    definition: "Overdue and expired assignments.",
    sql: () => withStatus("'overdue', 'expired'"),
  },
};

/** How precise each measure's figures are (the metadata API's `precision`). */
export const PRECISION: Record<MeasureType, string> = {
  count: "A whole number",
  "count-distinct": "A whole number",
  sum: "Exact: the field's values added at their own precision (e.g. whole seconds, progress with two decimals)",
  average: "Rounded to 4 decimals",
  median: "Not rounded: a double-precision number (about 15 significant digits)",
  min: "The field's own value",
  max: "The field's own value",
  "std-dev": "Rounded to 4 decimals; empty for fewer than two values",
  variance: "Rounded to 4 decimals; empty for fewer than two values",
  "completion-rate": "A percentage rounded to 2 decimals",
  "dropout-rate": "A percentage rounded to 2 decimals",
  "retention-rate": "A percentage rounded to 2 decimals",
  "engagement-rate": "A percentage rounded to 2 decimals",
  "avg-time-to-complete": "Whole seconds (rounded); empty without a completed enrollment",
  "avg-study-time": "Whole seconds (rounded)",
  "pass-rate": "A percentage rounded to 2 decimals; empty without an attempt that has a pass mark",
  "fail-rate": "A percentage rounded to 2 decimals; empty without an attempt that has a pass mark",
  "avg-score": "Rounded to 2 decimals; empty when no attempt has a score",
  "event-count": "A whole number",
  "run-count": "A whole number",
  "success-rate": "A percentage rounded to 2 decimals; empty without a finished run",
  "error-rate": "A percentage rounded to 2 decimals; empty without a finished run",
  "avg-call-latency": "Milliseconds rounded to 1 decimal; empty without a call",
  "records-per-run": "Rounded to 2 decimals; empty without a finished run",
  "failed-records": "A whole number",
  "sla-met-rate": "A percentage rounded to 2 decimals; empty without a judged run",
  "incident-count": "A whole number",
  "open-incidents": "A whole number",
  "avg-hours-to-resolve": "Hours rounded to 2 decimals; empty without a resolved incident",
  "median-hours-to-resolve": "Hours rounded to 2 decimals; empty without a resolved incident",
  "compliance-assignments": "A whole number",
  "compliant-count": "A whole number",
  "overdue-count": "A whole number",
  "expired-count": "A whole number",
  "exempt-count": "A whole number",
  "compliance-score": "A percentage rounded to 1 decimal; empty when everyone is exempt",
  violations: "A whole number",
};

/** The structured date range filter: which date each of its fields reads, and how. */
export const DATE_RANGE = {
  description:
    "Half-open: rows from start (included) up to end (excluded), so consecutive ranges never count a row twice; end must be after start. Times carry their offset: a whole day is its midnight up to the next day's midnight, in the offset meant",
  fields: {
    eventDate:
      "The base's own date: when the learner enrolled (enrollments), when the event happened (learning events), when the attempt was submitted (graded attempts), when the run started (integration sync runs), when the incident was opened (integration incidents), when the assignment is due (compliance assignments)",
    createdAt: "The same as eventDate: the base's own date",
    enrolledAt:
      "When the row's enrollment was made. Learning events and attempts are matched through their enrollment: events recorded without one (sign-ins, events outside a course) drop out",
    completedAt:
      "When the row's enrollment was completed: rows of enrollments not completed drop out, as do events without an enrollment",
  },
} as const;

/**
 * The base a report runs on: the first of enrollment, activity, assessment, integration-run,
 * integration-incident that every measure and every entity it names applies to (generic
 * measures alone count enrollments; a report on sync runs names a run measure or a field of a
 * run or integration; one on incidents an incident measure or a field of an incident).
 */
export function baseFor(measures: MeasureType[], entities: DimensionEntity[]): Base | null {
  const candidates = (
    [
      "enrollment",
      "activity",
      "assessment",
      "integration-run",
      "integration-incident",
      "compliance-assignment",
    ] as Base[]
  ).filter(
    (b) =>
      measures.every((t) => MEASURES[t].bases.includes(b)) &&
      entities.every((e) => ENTITIES[e].bases.includes(b)),
  );
  return candidates[0] ?? null;
}
