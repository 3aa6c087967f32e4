import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { type EventInput, recordEvents } from "../events/record.js";
import type { EnrollmentRow, EnrollmentStatus, ExternalStatus } from "./schema.js";

/**
 * Enrollments an integration brings in from an external learning system (PRODUCT.md: one
 * enrollments table; their source is `integration`). They are keyed by the integration and
 * the record's id over there, so writing a page again changes nothing that did not change.
 * Their progress feeds the learning event stream like any other: reports, certificate rules
 * and compliance see it.
 */
export interface ExternalEnrollmentInput {
  externalId: string;
  userId: string;
  courseId: string;
  status: ExternalStatus;
  enrolledAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  dueAt: Date | null;
  lastAccessAt: Date | null;
  progressPercent: number | null;
  timeSpentMinutes: number | null;
  score: number | null;
  maxScore: number | null;
  passingScore: number | null;
  grade: string | null;
  credits: number | null;
  costMinor: number | null;
  currency: string | null;
  instructorName: string | null;
  attempts: number | null;
  certifiedAt: Date | null;
  certificateUrl: string | null;
  updatedAt: Date | null;
}

export type ExternalOutcome = "created" | "updated" | "unchanged";

export interface StoredExternalEnrollment {
  externalId: string;
  enrollmentId: string | null;
  outcome: ExternalOutcome;
  changes: Record<string, [unknown, unknown]>;
}

/** Our status for what the external system says. */
export function statusFor(external: ExternalStatus): EnrollmentStatus {
  switch (external) {
    case "completed":
    case "certified":
      return "completed";
    case "dropped":
      return "dropped";
    case "expired":
      return "expired";
    case "on-hold":
      return "suspended";
    default:
      return "active";
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const clampPercent = (n: number | null) =>
  n === null || !Number.isFinite(n) ? 0 : Math.round(Math.min(100, Math.max(0, n)) * 100) / 100;

/** The row's columns as the external record says, in the order they are compared and written. */
function columnsOf(input: ExternalEnrollmentInput, organizationId: string, now: Date) {
  const status = statusFor(input.status);
  return {
    status,
    external_status: input.status,
    started_at: iso(input.startedAt),
    completed_at:
      status === "completed" ? iso(input.completedAt ?? input.certifiedAt ?? now) : null,
    due_at: iso(input.dueAt),
    last_accessed_at: iso(input.lastAccessAt),
    progress_percent: status === "completed" ? 100 : clampPercent(input.progressPercent),
    time_spent_seconds: Math.max(0, Math.round((input.timeSpentMinutes ?? 0) * 60)),
    score: input.score,
    max_score: input.maxScore,
    passing_score: input.passingScore,
    grade: input.grade,
    credits: input.credits,
    amount: input.costMinor,
    currency: input.costMinor === null ? null : (input.currency ?? null),
    instructor_name: input.instructorName,
    attempts: input.attempts,
    certified_at: iso(input.certifiedAt),
    certificate_url: input.certificateUrl,
    external_updated_at: iso(input.updatedAt),
    organization_id: organizationId,
  };
}

type Columns = ReturnType<typeof columnsOf>;

/** How a stored row reads in the same terms as `columnsOf`. */
function comparable(row: EnrollmentRow): Record<keyof Columns, unknown> {
  const d = (v: Date | null) => (v ? new Date(v).toISOString() : null);
  return {
    status: row.status,
    external_status: row.external_status,
    started_at: d(row.started_at),
    completed_at: d(row.completed_at),
    due_at: d(row.due_at),
    last_accessed_at: d(row.last_accessed_at),
    progress_percent: Number(row.progress_percent),
    time_spent_seconds: row.time_spent_seconds,
    score: row.score,
    max_score: row.max_score,
    passing_score: row.passing_score,
    grade: row.grade,
    credits: row.credits,
    amount: row.amount,
    currency: row.currency,
    instructor_name: row.instructor_name,
    attempts: row.attempts,
    certified_at: d(row.certified_at),
    certificate_url: row.certificate_url,
    external_updated_at: d(row.external_updated_at),
    organization_id: row.organization_id,
  };
}

/**
 * Writes a page of external enrollments in a few statements whatever its size: reads the
 * stored rows, works out what changed, upserts the changed ones in one statement, records the
 * learning events of what happened (enrolled, started, completed) and moves the courses'
 * counters. In a dry run nothing is written and the answer says what would be. A person who
 * already has an enrollment in the course from another record is refused (the caller reports
 * it), as is a record whose course or person is not the organization's (the caller resolved
 * them inside it).
 */
export async function storeExternalEnrollments(
  ctx: Ctx,
  target: { organizationId: string; integrationId: string },
  inputs: ExternalEnrollmentInput[],
  options: { dryRun?: boolean } = {},
): Promise<{ stored: StoredExternalEnrollment[]; conflicts: Map<string, string> }> {
  const conflicts = new Map<string, string>();
  if (!inputs.length) return { stored: [], conflicts };
  const now = ctx.clock.now();
  // Two index lookups (by external id, by person and course) rather than one OR, which
  // PostgreSQL can only answer by reading the whole table.
  const { rows: existing } = await sql<EnrollmentRow>`
    select e.* from enrollments e
    where e.integration_id = ${target.integrationId}
      and e.external_id = any(${inputs.map((i) => i.externalId)}::text[])
    union
    select e.* from unnest(${inputs.map((i) => i.userId)}::uuid[], ${inputs.map((i) => i.courseId)}::uuid[])
           as p (user_id, course_id)
    join enrollments e on e.user_id = p.user_id and e.course_id = p.course_id`.execute(ctx.db);
  const byExternal = new Map<string, EnrollmentRow>();
  const byPair = new Map<string, EnrollmentRow>();
  for (const row of existing) {
    if (row.integration_id === target.integrationId && row.external_id)
      byExternal.set(row.external_id, row);
    byPair.set(`${row.user_id}:${row.course_id}`, row);
  }

  const stored: StoredExternalEnrollment[] = [];
  const writes: Array<
    Columns & { external_id: string; user_id: string; course_id: string; enrolled_at: string }
  > = [];
  const events: EventInput[] = [];
  const seen = new Set<string>();
  /** Pairs of person and course taken by a record of this page. */
  const claimed = new Map<string, string>();
  for (const input of inputs) {
    if (seen.has(input.externalId)) continue;
    seen.add(input.externalId);
    const after = columnsOf(input, target.organizationId, now);
    const before = byExternal.get(input.externalId);
    const pair = `${input.userId}:${input.courseId}`;
    const holder = byPair.get(pair);
    const claimedBy = claimed.get(pair);
    if ((holder && holder.id !== before?.id) || claimedBy) {
      const other = claimedBy ?? holder?.external_id;
      conflicts.set(
        input.externalId,
        claimedBy || holder?.integration_id === target.integrationId
          ? `The person already has this course from record ${other}`
          : "The person already has an enrollment in this course",
      );
      continue;
    }
    claimed.set(pair, input.externalId);
    const was = before ? comparable(before) : null;
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [key, value] of Object.entries(after)) {
      const old = was ? was[key as keyof Columns] : null;
      if (!was || (old ?? null) !== (value ?? null)) changes[key] = [old ?? null, value ?? null];
    }
    if (was && !Object.keys(changes).length) {
      stored.push({
        externalId: input.externalId,
        enrollmentId: before?.id ?? null,
        outcome: "unchanged",
        changes,
      });
      continue;
    }
    stored.push({
      externalId: input.externalId,
      enrollmentId: before?.id ?? null,
      outcome: before ? "updated" : "created",
      changes,
    });
    writes.push({
      ...after,
      external_id: input.externalId,
      user_id: input.userId,
      course_id: input.courseId,
      enrolled_at:
        iso(input.enrolledAt) ??
        (before ? new Date(before.enrolled_at).toISOString() : now.toISOString()),
    });
  }
  if (options.dryRun || !writes.length) return { stored, conflicts };

  const { rows } = await sql<{
    id: string;
    external_id: string;
    course_id: string;
    user_id: string;
    inserted: boolean;
  }>`
    insert into enrollments as e (
      user_id, course_id, organization_id, status, source, enrolled_at, started_at, completed_at,
      due_at, last_accessed_at, progress_percent, time_spent_seconds, amount, currency,
      integration_id, external_id, external_status, score, max_score, passing_score, grade,
      credits, instructor_name, attempts, certified_at, certificate_url, external_updated_at,
      synced_at)
    select r.user_id, r.course_id, r.organization_id, r.status, 'integration', r.enrolled_at,
           r.started_at, r.completed_at, r.due_at, r.last_accessed_at, r.progress_percent,
           r.time_spent_seconds, r.amount, r.currency, ${target.integrationId}, r.external_id,
           r.external_status, r.score, r.max_score, r.passing_score, r.grade, r.credits,
           r.instructor_name, r.attempts, r.certified_at, r.certificate_url,
           r.external_updated_at, ${now}
    from jsonb_to_recordset(${JSON.stringify(writes)}::jsonb) as r (
      user_id uuid, course_id uuid, organization_id uuid, status text, enrolled_at timestamptz,
      started_at timestamptz, completed_at timestamptz, due_at timestamptz,
      last_accessed_at timestamptz, progress_percent numeric, time_spent_seconds integer,
      amount integer, currency text, external_id text, external_status text, score numeric,
      max_score numeric, passing_score numeric, grade text, credits numeric,
      instructor_name text, attempts integer, certified_at timestamptz, certificate_url text,
      external_updated_at timestamptz)
    on conflict (integration_id, external_id) where integration_id is not null do update set
      user_id = excluded.user_id, course_id = excluded.course_id, status = excluded.status,
      started_at = excluded.started_at, completed_at = excluded.completed_at,
      due_at = excluded.due_at, last_accessed_at = excluded.last_accessed_at,
      progress_percent = excluded.progress_percent,
      time_spent_seconds = excluded.time_spent_seconds, amount = excluded.amount,
      currency = excluded.currency, external_status = excluded.external_status,
      score = excluded.score, max_score = excluded.max_score,
      passing_score = excluded.passing_score, grade = excluded.grade,
      credits = excluded.credits, instructor_name = excluded.instructor_name,
      attempts = excluded.attempts, certified_at = excluded.certified_at,
      certificate_url = excluded.certificate_url,
      external_updated_at = excluded.external_updated_at, synced_at = excluded.synced_at,
      updated_at = excluded.synced_at
    returning e.id, e.external_id, e.course_id, e.user_id, (xmax = 0) as inserted`.execute(ctx.db);

  const ids = new Map(rows.map((r) => [r.external_id, r]));
  const inputOf = new Map(inputs.map((i) => [i.externalId, i]));
  const enrolledBy = new Map<string, number>();
  const completedBy = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string, by: number) =>
    map.set(key, (map.get(key) ?? 0) + by);
  for (const result of stored) {
    const row = ids.get(result.externalId);
    if (!row || result.outcome === "unchanged") continue;
    result.enrollmentId = row.id;
    const input = inputOf.get(result.externalId) as ExternalEnrollmentInput;
    const event = (type: string, at: Date | null): EventInput => ({
      type,
      learnerId: row.user_id,
      organizationId: target.organizationId,
      courseId: row.course_id,
      enrollmentId: row.id,
      occurredAt: at ?? now,
      source: "integration",
      data: { externalId: result.externalId, integrationId: target.integrationId },
    });
    const statusChange = result.changes.status;
    const wasCompleted = statusChange ? statusChange[0] === "completed" : false;
    const isCompleted = statusFor(input.status) === "completed";
    if (result.outcome === "created") {
      events.push(event("enrollment-created", input.enrolledAt));
      bump(enrolledBy, row.course_id, 1);
    }
    if (result.changes.started_at && !result.changes.started_at[0] && input.startedAt)
      events.push(event("enrollment-started", input.startedAt));
    if (statusChange && isCompleted && !wasCompleted) {
      events.push(event("enrollment-completed", input.completedAt ?? input.certifiedAt));
      events.push(event("course-completed", input.completedAt ?? input.certifiedAt));
      bump(completedBy, row.course_id, 1);
    }
    if (statusChange && wasCompleted && !isCompleted) bump(completedBy, row.course_id, -1);
  }
  if (events.length) await recordEvents(ctx, events);
  const courseIds = [...new Set([...enrolledBy.keys(), ...completedBy.keys()])];
  if (courseIds.length)
    await sql`
      update courses c set enrolled_count = c.enrolled_count + d.enrolled,
                           completed_count = greatest(0, c.completed_count + d.completed)
      from unnest(${courseIds}::uuid[], ${courseIds.map((c) => enrolledBy.get(c) ?? 0)}::integer[],
                  ${courseIds.map((c) => completedBy.get(c) ?? 0)}::integer[])
           as d (course_id, enrolled, completed)
      where c.id = d.course_id`.execute(ctx.db);
  return { stored, conflicts };
}
