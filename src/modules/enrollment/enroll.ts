import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { CourseRow } from "../catalog/schema.js";
import type { CohortRow } from "../cohorts/schema.js";
import { recordEvents, requestContext } from "../events/record.js";
import type { EnrollmentRow, EnrollmentSource, WaitlistRow } from "./schema.js";
import { countOnCourse, lockCohort, takeCohortSeat, takeCourseSeat } from "./seats.js";

const DAY_MS = 24 * 3_600_000;
/** How long a cohort's materials stay open after it ends (seed 001: one year). */
export const MATERIALS_ACCESS_MS = 365 * DAY_MS;
/** Office hours and the course chatbot stay open 90 days after a cohort ends (seed 001). */
export const SUPPORT_ACCESS_MS = 90 * DAY_MS;

export interface EnrollInput {
  userId: string;
  courseId: string;
  cohortId?: string | null;
  organizationId?: string | null;
  source: EnrollmentSource;
  assignedBy?: string | null;
  dueAt?: Date | null;
  isMandatory?: boolean;
  isCompliance?: boolean;
  /** Join the cohort's waitlist when it is full instead of failing. */
  waitlist?: boolean;
  /** A paid enrollment waits in `pending-payment` (holding its seat) until the payment settles. */
  payment?: { provider: string; amount: number; currency: string };
  accessCodeId?: string | null;
  /** The organization's seat allocation this enrollment uses (taken by the caller). */
  seatAllocationId?: string | null;
  /** When access ends, for self-paced enrollments (cohort enrollments follow the cohort). */
  accessExpiresAt?: Date | null;
}

export type EnrollResult =
  | { kind: "enrolled"; enrollment: EnrollmentRow }
  | { kind: "waitlisted"; entry: WaitlistRow };

const HOLDING = ["pending-payment", "active", "completed", "suspended"] as const;

/** Completed prerequisite courses a person still lacks. */
async function missingPrerequisites(
  ctx: Ctx,
  userId: string,
  course: CourseRow,
): Promise<string[]> {
  if (!course.prerequisite_course_ids.length) return [];
  const done = await ctx.db
    .selectFrom("enrollments")
    .select("course_id")
    .where("user_id", "=", userId)
    .where("status", "=", "completed")
    .where("course_id", "in", course.prerequisite_course_ids)
    .execute();
  const have = new Set(done.map((d) => d.course_id));
  return course.prerequisite_course_ids.filter((id) => !have.has(id));
}

async function assertCohortAccess(ctx: Ctx, userId: string, cohort: CohortRow): Promise<void> {
  if (!cohort.organization_id) return;
  const member = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", cohort.organization_id)
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  if (!member) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
}

/**
 * The one way into a course (seed 002 §Enroll, seed 001 createEnrollment): checks the course
 * is published, the person is not already in it and has its prerequisites, takes a seat of
 * the cohort (or of a self-paced course with a capacity) — or, when the cohort is full, a
 * place on its waitlist — and records the enrollment, an audit entry and a learning event in
 * one transaction. A dropped or expired enrollment is reopened rather than duplicated.
 */
export async function enroll(ctx: Ctx, input: EnrollInput): Promise<EnrollResult> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const course = await tx.db
      .selectFrom("courses")
      .selectAll()
      .where("id", "=", input.courseId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!course) throw new AppError("NOT_FOUND", "Course not found", { field: "courseId" });
    if (course.status !== "published")
      throw new AppError("ENROLLMENT_CLOSED", "The course is not open for enrollment");
    const existing = await tx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("user_id", "=", input.userId)
      .where("course_id", "=", course.id)
      .forUpdate()
      .executeTakeFirst();
    if (existing && (HOLDING as readonly string[]).includes(existing.status)) {
      throw new AppError("ALREADY_ENROLLED", "Already enrolled in this course", {
        details: { enrollmentId: existing.id, status: existing.status },
      });
    }
    const missing = await missingPrerequisites(tx, input.userId, course);
    if (missing.length) {
      throw new AppError("PREREQUISITES_NOT_MET", "Complete the prerequisite courses first", {
        details: { missing },
      });
    }

    let cohort: CohortRow | null = null;
    if (course.delivery === "cohort-based") {
      if (!input.cohortId)
        throw new AppError("COHORT_REQUIRED", "Choose a cohort of this course", {
          field: "cohortId",
        });
      cohort =
        (await tx.db
          .selectFrom("cohorts")
          .selectAll()
          .where("id", "=", input.cohortId)
          .where("course_id", "=", course.id)
          .executeTakeFirst()) ?? null;
      if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
      await assertCohortAccess(tx, input.userId, cohort);
      if (cohort.status !== "open")
        throw new AppError(
          "ENROLLMENT_CLOSED",
          `The cohort is ${cohort.status}, not open for enrollment`,
          { field: "cohortId" },
        );
      if (!(await takeCohortSeat(tx, cohort.id))) {
        // Full: hold the cohort row, then look once more (a seat may have just been freed).
        await lockCohort(tx, cohort.id);
        if (!(await takeCohortSeat(tx, cohort.id))) {
          if (!input.waitlist)
            throw new AppError("COHORT_FULL", "The cohort is full", {
              field: "cohortId",
              details: { cohortId: cohort.id },
            });
          return { kind: "waitlisted", entry: await joinWaitlist(tx, input, course, cohort) };
        }
      }
      await countOnCourse(tx, course.id, 1);
    } else {
      if (input.cohortId)
        throw new AppError("VALIDATION_ERROR", "Self-paced courses have no cohorts", {
          field: "cohortId",
        });
      if (!(await takeCourseSeat(tx, course.id)))
        throw new AppError("COURSE_FULL", "The course is full");
    }

    const organizationId =
      course.organization_id ?? cohort?.organization_id ?? input.organizationId ?? null;
    const values = {
      cohort_id: cohort?.id ?? null,
      organization_id: organizationId,
      status: input.payment ? ("pending-payment" as const) : ("active" as const),
      source: input.source,
      assigned_by: input.assignedBy ?? null,
      due_at: input.dueAt ?? null,
      is_mandatory: input.isMandatory ?? false,
      is_compliance: input.isCompliance ?? false,
      enrolled_at: now,
      started_at: null,
      completed_at: null,
      suspended_at: null,
      suspended_reason: null,
      dropped_at: null,
      dropped_reason: null,
      access_expires_at: cohort
        ? new Date(cohort.ends_at.getTime() + MATERIALS_ACCESS_MS)
        : (input.accessExpiresAt ?? null),
      office_hours_until: cohort ? new Date(cohort.ends_at.getTime() + SUPPORT_ACCESS_MS) : null,
      chatbot_access_until: cohort ? new Date(cohort.ends_at.getTime() + SUPPORT_ACCESS_MS) : null,
      progress_percent: 0,
      payment_status: input.payment ? ("pending" as const) : ("not-required" as const),
      payment_provider: input.payment?.provider ?? null,
      checkout_id: null,
      payment_id: null,
      amount: input.payment?.amount ?? null,
      currency: input.payment?.currency ?? null,
      access_code_id: input.accessCodeId ?? null,
      seat_allocation_id: input.seatAllocationId ?? null,
    };
    const enrollment = existing
      ? await tx.db
          .updateTable("enrollments")
          .set(values)
          .where("id", "=", existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx.db
          .insertInto("enrollments")
          .values({
            ...values,
            user_id: input.userId,
            course_id: course.id,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: existing ? "enrollment.reopen" : "enrollment.create",
      entityType: "enrollment",
      entityId: enrollment.id,
      after: {
        user_id: input.userId,
        course_id: course.id,
        cohort_id: cohort?.id ?? null,
        source: input.source,
        status: enrollment.status,
      },
    });
    await recordEvents(tx, [
      {
        type: "enrollment-created",
        learnerId: input.userId,
        organizationId,
        courseId: course.id,
        cohortId: cohort?.id ?? null,
        enrollmentId: enrollment.id,
        data: { source: input.source },
        context: requestContext(tx),
      },
    ]);
    await tx.events.emit(tx, "enrollment.created", {
      enrollmentId: enrollment.id,
      userId: input.userId,
      courseId: course.id,
      organizationId,
      source: input.source,
      status: enrollment.status,
    });
    return { kind: "enrolled", enrollment };
  });
}

/** Appends a person to a full cohort's waitlist; call it holding the cohort's row lock. */
async function joinWaitlist(
  ctx: Ctx,
  input: EnrollInput,
  course: CourseRow,
  cohort: CohortRow,
): Promise<WaitlistRow> {
  const already = await ctx.db
    .selectFrom("waitlist_entries")
    .select("id")
    .where("cohort_id", "=", cohort.id)
    .where("user_id", "=", input.userId)
    .where("status", "in", ["waiting", "offered"])
    .executeTakeFirst();
  if (already)
    throw new AppError("ALREADY_WAITLISTED", "Already on this cohort's waitlist", {
      details: { entryId: already.id },
    });
  const last = await ctx.db
    .selectFrom("waitlist_entries")
    .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(0)).as("p"))
    .where("cohort_id", "=", cohort.id)
    .executeTakeFirstOrThrow();
  const entry = await ctx.db
    .insertInto("waitlist_entries")
    .values({
      user_id: input.userId,
      course_id: course.id,
      cohort_id: cohort.id,
      organization_id:
        course.organization_id ?? cohort.organization_id ?? input.organizationId ?? null,
      position: Number(last.p) + 1,
      created_at: ctx.clock.now(),
      updated_at: ctx.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable("cohorts")
    .set({ waitlist_count: sql`waitlist_count + 1` })
    .where("id", "=", cohort.id)
    .execute();
  await audit(ctx, {
    organizationId: entry.organization_id,
    action: "waitlist.join",
    entityType: "waitlist-entry",
    entityId: entry.id,
    after: { user_id: input.userId, cohort_id: cohort.id, position: entry.position },
  });
  return entry;
}
