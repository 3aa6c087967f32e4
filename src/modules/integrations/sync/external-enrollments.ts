import { sql } from "kysely";
import { z } from "zod";
import { audit } from "../../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../../platform/context.js";
import { isoDateTime } from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../../platform/http/pagination.js";
import { holds } from "../../../platform/policy/engine.js";
import { ref } from "../../../platform/references.js";
import { mirrorExternalCourses } from "../../catalog/external.js";
import { storeExternalEnrollments } from "../../enrollment/external.js";
import type { ExternalStatus } from "../../enrollment/schema.js";
import { EXTERNAL_ENROLLMENT_STATUSES } from "../connectors/types.js";
import { visibleIntegration } from "../integrations.js";
import { iso } from "./presenter.js";

/**
 * External learning records as seed 003 §9.1 names them (`lms-enrollments`, `lms-progress`):
 * enrollments whose source is an integration, read with their course, person and integration.
 * They are ordinary enrollments; these views add what only external records have.
 */

function base(ctx: Ctx) {
  return ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("lms_integrations as i", (join) =>
      join
        .onRef("i.id", "=", "e.integration_id")
        .onRef("i.organization_id", "=", "e.organization_id"),
    )
    .innerJoin("courses as c", "c.id", "e.course_id")
    .innerJoin("users as u", "u.id", "e.user_id")
    .select([
      "e.id",
      "e.organization_id",
      "e.integration_id",
      "i.name as integration_name",
      "i.lms_type",
      "e.external_id",
      "e.external_status",
      "e.status",
      "e.user_id",
      "u.email",
      "u.first_name",
      "u.last_name",
      "e.course_id",
      "c.title as course_title",
      "c.external_id as course_external_id",
      "c.external_url as course_url",
      "e.enrolled_at",
      "e.started_at",
      "e.completed_at",
      "e.due_at",
      "e.last_accessed_at",
      "e.progress_percent",
      "e.time_spent_seconds",
      "e.score",
      "e.max_score",
      "e.passing_score",
      "e.grade",
      "e.credits",
      "e.amount",
      "e.currency",
      "e.instructor_name",
      "e.attempts",
      "e.certified_at",
      "e.certificate_url",
      "e.external_updated_at",
      "e.synced_at",
    ])
    .where("e.source", "=", "integration");
}

type Row = Awaited<ReturnType<ReturnType<typeof base>["execute"]>>[number];

export const externalEnrollmentSchema = z
  .object({
    id: z.uuid(),
    integration: z.object({ id: z.uuid(), name: z.string(), lmsType: z.string() }),
    externalId: z.string(),
    externalStatus: z.string().nullable().describe("The status in the external system's terms"),
    status: z.string().describe("The enrollment's status in Lyceum"),
    learner: z.object({
      id: z.uuid(),
      email: z.string(),
      firstName: z.string(),
      lastName: z.string(),
    }),
    course: z.object({
      id: z.uuid(),
      title: z.string(),
      externalId: z.string().nullable(),
      url: z.string().nullable(),
    }),
    enrolledAt: isoDateTime(),
    startedAt: isoDateTime().nullable(),
    completedAt: isoDateTime().nullable(),
    dueAt: isoDateTime().nullable(),
    lastAccessAt: isoDateTime().nullable(),
    progressPercent: z.number(),
    timeSpentMinutes: z.number().int(),
    score: z.number().nullable(),
    maxScore: z.number().nullable(),
    passingScore: z.number().nullable(),
    grade: z.string().nullable(),
    credits: z.number().nullable(),
    cost: z
      .object({ amountMinor: z.number().int(), currency: z.string() })
      .nullable()
      .describe("What the training cost, in minor units"),
    instructorName: z.string().nullable(),
    attempts: z.number().int().nullable(),
    certifiedAt: isoDateTime().nullable(),
    certificateUrl: z.string().nullable(),
    externalUpdatedAt: isoDateTime().nullable(),
    syncedAt: isoDateTime().nullable(),
  })
  .meta({ id: "ExternalEnrollment" });

export function presentExternalEnrollment(r: Row): z.infer<typeof externalEnrollmentSchema> {
  return {
    id: r.id,
    integration: { id: r.integration_id as string, name: r.integration_name, lmsType: r.lms_type },
    externalId: r.external_id as string,
    externalStatus: r.external_status,
    status: r.status,
    learner: { id: r.user_id, email: r.email, firstName: r.first_name, lastName: r.last_name },
    course: {
      id: r.course_id,
      title: r.course_title,
      externalId: r.course_external_id,
      url: r.course_url,
    },
    enrolledAt: iso(r.enrolled_at) as string,
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
    dueAt: iso(r.due_at),
    lastAccessAt: iso(r.last_accessed_at),
    progressPercent: Number(r.progress_percent),
    timeSpentMinutes: Math.round(r.time_spent_seconds / 60),
    score: r.score,
    maxScore: r.max_score,
    passingScore: r.passing_score,
    grade: r.grade,
    credits: r.credits,
    cost: r.amount !== null && r.currency ? { amountMinor: r.amount, currency: r.currency } : null,
    instructorName: r.instructor_name,
    attempts: r.attempts,
    certifiedAt: iso(r.certified_at),
    certificateUrl: r.certificate_url,
    externalUpdatedAt: iso(r.external_updated_at),
    syncedAt: iso(r.synced_at),
  };
}

export interface ExternalEnrollmentQuery extends PageRequest {
  integrationId?: string;
  userId?: string;
  courseId?: string;
  status?: ExternalStatus;
  dateFrom?: string;
  dateTo?: string;
  search?: string;
}

/** An organization's external enrollments, one page (seed: employee, status, date filters). */
export async function listExternalEnrollments(
  ctx: Ctx,
  organizationId: string,
  query: ExternalEnrollmentQuery,
) {
  let q = base(ctx).where("e.organization_id", "=", organizationId);
  if (query.integrationId) q = q.where("e.integration_id", "=", query.integrationId);
  if (query.userId) q = q.where("e.user_id", "=", query.userId);
  if (query.courseId) q = q.where("e.course_id", "=", query.courseId);
  if (query.status) q = q.where("e.external_status", "=", query.status);
  if (query.dateFrom) q = q.where("e.enrolled_at", ">=", new Date(query.dateFrom));
  if (query.dateTo) q = q.where("e.enrolled_at", "<", new Date(query.dateTo));
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb("u.email", "ilike", like),
        eb(sql<string>`u.first_name || ' ' || u.last_name`, "ilike", like),
        eb("c.title", "ilike", like),
      ]),
    );
  }
  return paginate(
    q,
    query,
    sortOf(query.sort, {
      enrolledAt: "e.enrolled_at",
      completedAt: "e.completed_at",
      syncedAt: "e.synced_at",
    }),
    "e.id",
  );
}

/** One external enrollment the caller may see (integrations:manage in its organization). */
export async function visibleExternalEnrollment(ctx: Ctx, id: string): Promise<Row> {
  const [row, access] = await Promise.all([
    base(ctx).where("e.id", "=", id).executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row?.organization_id || !holds(access, "integrations:manage", row.organization_id))
    throw new AppError("NOT_FOUND", "External enrollment not found");
  return row;
}

export const progressSchema = z
  .object({
    enrollment: externalEnrollmentSchema,
    events: z.array(
      z.object({
        type: z.string(),
        occurredAt: isoDateTime(),
        source: z.string(),
      }),
    ),
    passed: z.boolean().nullable().describe("Score against the passing score, when both are known"),
    scorePercent: z.number().nullable(),
  })
  .meta({ id: "ExternalProgress" });

/** An external enrollment's progress: its figures and the learning events it fed the stream. */
export async function externalProgress(ctx: Ctx, id: string) {
  const row = await visibleExternalEnrollment(ctx, id);
  const events = await ctx.db
    .selectFrom("learning_events")
    .select(["event_type", "occurred_at", "source"])
    .where("enrollment_id", "=", id)
    .where("organization_id", "=", row.organization_id as string)
    .orderBy("occurred_at")
    .orderBy("id")
    .limit(500)
    .execute();
  const scorePercent =
    row.score !== null && row.max_score
      ? Math.round((row.score / row.max_score) * 10_000) / 100
      : null;
  return {
    enrollment: presentExternalEnrollment(row),
    events: events.map((e) => ({
      type: e.event_type,
      occurredAt: new Date(e.occurred_at).toISOString(),
      source: e.source,
    })),
    passed:
      row.score !== null && row.passing_score !== null ? row.score >= row.passing_score : null,
    scorePercent,
  };
}

/** An external enrollment entered by hand (seed 003 §9.1 `POST lms-enrollments`). */
export const manualEnrollmentSchema = z
  .object({
    externalId: z.string().trim().min(1).max(300),
    userId: ref("user"),
    course: z
      .object({
        externalId: z.string().trim().min(1).max(200),
        title: z.string().trim().min(1).max(255),
        code: z.string().trim().max(50).nullable().default(null),
        url: z
          .url({ protocol: /^https?$/ })
          .max(1000)
          .nullable()
          .default(null),
      })
      .strict(),
    status: z.enum(EXTERNAL_ENROLLMENT_STATUSES),
    enrolledAt: isoDateTime().nullable().default(null),
    startedAt: isoDateTime().nullable().default(null),
    completedAt: isoDateTime().nullable().default(null),
    dueAt: isoDateTime().nullable().default(null),
    progressPercent: z.number().min(0).max(100).nullable().default(null),
    timeSpentMinutes: z.number().int().min(0).max(1_000_000).nullable().default(null),
    score: z.number().min(0).max(1_000_000).nullable().default(null),
    maxScore: z.number().positive().max(1_000_000).nullable().default(null),
    passingScore: z.number().min(0).max(1_000_000).nullable().default(null),
    grade: z.string().trim().max(20).nullable().default(null),
    credits: z.number().min(0).max(100_000).nullable().default(null),
    cost: z
      .object({
        amountMinor: z.number().int().min(0).max(2_000_000_000),
        currency: z.string().regex(/^[A-Z]{3}$/),
      })
      .strict()
      .nullable()
      .default(null),
    instructorName: z.string().trim().max(200).nullable().default(null),
    attempts: z.number().int().min(0).max(10_000).nullable().default(null),
    certifiedAt: isoDateTime().nullable().default(null),
    certificateUrl: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .nullable()
      .default(null),
  })
  .strict();

/**
 * Records an external enrollment by hand, for systems without an API: the course is mirrored
 * when new and the record is stored as a sync would store it, keyed by its external id (sent
 * again, it updates the record). Answers the enrollment's id.
 */
export async function recordExternalEnrollment(
  ctx: Ctx,
  integrationId: string,
  body: z.infer<typeof manualEnrollmentSchema>,
): Promise<string> {
  const found = await visibleIntegration(ctx, integrationId);
  const member = await ctx.db
    .selectFrom("organization_members")
    .select("user_id")
    .where("organization_id", "=", found.organization_id)
    .where("user_id", "=", body.userId)
    .executeTakeFirst();
  if (!member)
    throw new AppError("VALIDATION_ERROR", "The person is not a member of the organization", {
      field: "userId",
    });
  const date = (v: string | null) => (v ? new Date(v) : null);
  const id = await inTransaction(ctx, async (tx) => {
    const target = { organizationId: found.organization_id, integrationId: found.id };
    const actorId = tx.actor.kind === "user" ? tx.actor.userId : null;
    const [course] = await mirrorExternalCourses(
      tx,
      { ...target, instructorId: (found.created_by ?? actorId) as string },
      [{ ...body.course, summary: null }],
    );
    const { stored, conflicts } = await storeExternalEnrollments(tx, target, [
      {
        externalId: body.externalId,
        userId: body.userId,
        courseId: course?.courseId as string,
        status: body.status,
        enrolledAt: date(body.enrolledAt),
        startedAt: date(body.startedAt),
        completedAt: date(body.completedAt),
        dueAt: date(body.dueAt),
        lastAccessAt: null,
        progressPercent: body.progressPercent,
        timeSpentMinutes: body.timeSpentMinutes,
        score: body.score,
        maxScore: body.maxScore,
        passingScore: body.passingScore,
        grade: body.grade,
        credits: body.credits,
        costMinor: body.cost?.amountMinor ?? null,
        currency: body.cost?.currency ?? null,
        instructorName: body.instructorName,
        attempts: body.attempts,
        certifiedAt: date(body.certifiedAt),
        certificateUrl: body.certificateUrl,
        updatedAt: null,
      },
    ]);
    const conflict = conflicts.get(body.externalId);
    if (conflict) throw new AppError("ALREADY_ENROLLED", conflict, { field: "userId" });
    const enrollmentId =
      stored[0]?.enrollmentId ??
      (
        await tx.db
          .selectFrom("enrollments")
          .select("id")
          .where("integration_id", "=", found.id)
          .where("external_id", "=", body.externalId)
          .executeTakeFirstOrThrow()
      ).id;
    await audit(tx, {
      organizationId: found.organization_id,
      action: "integration.enrollment-recorded",
      entityType: "enrollment",
      entityId: enrollmentId,
      after: {
        integrationId: found.id,
        externalId: body.externalId,
        outcome: stored[0]?.outcome,
      },
    });
    return enrollmentId;
  });
  return id;
}
