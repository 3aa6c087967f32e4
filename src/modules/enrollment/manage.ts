import { sql } from "kysely";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type Ability, can, type Target } from "../../platform/policy/engine.js";
import { courseTeam } from "../catalog/policy.js";
import { recordEvents, requestContext } from "../events/record.js";
import type { EnrollmentRow, EnrollmentStatus } from "./schema.js";
import { countOnCourse, releaseEnrollmentSeats } from "./seats.js";
import { offerSeats } from "./waitlist.js";

/**
 * The policy target of an enrollment: the learner (owner), the course's instructor and staff
 * (assignees), and the learner's department and teams in the enrollment's organization.
 */
export async function enrollmentTarget(
  ctx: Ctx,
  enrollment: Pick<EnrollmentRow, "user_id" | "course_id" | "cohort_id" | "organization_id">,
): Promise<Target> {
  const course = await ctx.db
    .selectFrom("courses")
    .selectAll()
    .where("id", "=", enrollment.course_id)
    .executeTakeFirstOrThrow();
  const team = await courseTeam(ctx, course);
  let departmentId: string | null = null;
  let teamIds: string[] = [];
  if (enrollment.organization_id) {
    const member = await ctx.db
      .selectFrom("organization_members")
      .select("department_id")
      .where("organization_id", "=", enrollment.organization_id)
      .where("user_id", "=", enrollment.user_id)
      .executeTakeFirst();
    departmentId = member?.department_id ?? null;
    teamIds = (
      await ctx.db
        .selectFrom("team_members")
        .select("team_id")
        .where("organization_id", "=", enrollment.organization_id)
        .where("user_id", "=", enrollment.user_id)
        .execute()
    ).map((t) => t.team_id);
  }
  const cohortInstructor = enrollment.cohort_id
    ? (
        await ctx.db
          .selectFrom("cohorts")
          .select("instructor_id")
          .where("id", "=", enrollment.cohort_id)
          .executeTakeFirst()
      )?.instructor_id
    : null;
  return {
    organizationId: enrollment.organization_id,
    ownerId: enrollment.user_id,
    departmentId,
    teamIds,
    assigneeIds: [
      team.instructorId,
      ...team.staff,
      ...(cohortInstructor ? [cohortInstructor] : []),
    ],
  };
}

/** Loads an enrollment the actor may see (`enrollments:read`), or NOT_FOUND. */
export async function visibleEnrollment(
  ctx: Ctx,
  enrollmentId: string,
  ability: Ability = "enrollments:read",
): Promise<EnrollmentRow> {
  const enrollment = await ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", enrollmentId)
    .executeTakeFirst();
  if (!enrollment) throw new AppError("NOT_FOUND", "Enrollment not found");
  const access = await ctx.actor.access();
  const target = await enrollmentTarget(ctx, enrollment);
  if (!can(access, "enrollments:read", target))
    throw new AppError("NOT_FOUND", "Enrollment not found");
  if (ability !== "enrollments:read" && !can(access, ability, target)) {
    throw new AppError("FORBIDDEN", `You may not change this enrollment (${ability})`);
  }
  return enrollment;
}

const ALLOWED: Record<"drop" | "suspend" | "reactivate" | "complete", EnrollmentStatus[]> = {
  drop: ["active", "suspended", "pending-payment"],
  suspend: ["active"],
  reactivate: ["suspended"],
  complete: ["active"],
};

/**
 * Drops, suspends, reactivates or completes an enrollment. Learners may drop their own
 * enrollments unless they were assigned as mandatory or compliance training; everything else
 * needs `enrollments:manage` over the learner. A dropped cohort seat goes to the waitlist.
 */
export async function changeEnrollment(
  ctx: Ctx,
  enrollmentId: string,
  action: "drop" | "suspend" | "reactivate" | "complete",
  reason?: string | null,
): Promise<EnrollmentRow> {
  const self = ctx.actor.kind === "user";
  const current = await visibleEnrollment(ctx, enrollmentId);
  const own = self && ctx.actor.kind === "user" && current.user_id === ctx.actor.userId;
  const manager = can(
    await ctx.actor.access(),
    "enrollments:manage",
    await enrollmentTarget(ctx, current),
  );
  if (!manager) {
    if (!(own && action === "drop"))
      throw new AppError("FORBIDDEN", `You may not ${action} this enrollment`);
    if (current.is_mandatory || current.is_compliance) {
      throw new AppError(
        "UNPROCESSABLE",
        "Mandatory and compliance training cannot be dropped by the learner",
      );
    }
  }
  return inTransaction(ctx, async (tx) => {
    const enrollment = await tx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", enrollmentId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!ALLOWED[action].includes(enrollment.status)) {
      throw new AppError(
        "UNPROCESSABLE",
        `A ${enrollment.status} enrollment cannot be ${action === "drop" ? "dropped" : `${action}d`}`,
        {
          details: { status: enrollment.status },
        },
      );
    }
    const now = tx.clock.now();
    const status: EnrollmentStatus =
      action === "drop"
        ? "dropped"
        : action === "suspend"
          ? "suspended"
          : action === "reactivate"
            ? "active"
            : "completed";
    const after = await tx.db
      .updateTable("enrollments")
      .set({
        status,
        ...(action === "drop" ? { dropped_at: now, dropped_reason: reason ?? null } : {}),
        ...(action === "suspend" ? { suspended_at: now, suspended_reason: reason ?? null } : {}),
        ...(action === "reactivate" ? { suspended_at: null, suspended_reason: null } : {}),
        ...(action === "complete" ? { completed_at: now, progress_percent: 100 } : {}),
      })
      .where("id", "=", enrollmentId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (action === "drop") {
      await releaseEnrollmentSeats(tx, enrollment);
      if (enrollment.cohort_id) await offerSeats(tx, enrollment.cohort_id);
    }
    if (action === "complete") {
      await tx.db
        .updateTable("courses")
        .set({ completed_count: sql`completed_count + 1` })
        .where("id", "=", enrollment.course_id)
        .execute();
      await tx.events.emit(tx, "enrollment.completed", {
        enrollmentId,
        userId: enrollment.user_id,
        courseId: enrollment.course_id,
      });
    }
    await audit(tx, {
      organizationId: enrollment.organization_id,
      action: `enrollment.${action}`,
      entityType: "enrollment",
      entityId: enrollmentId,
      before: { status: enrollment.status },
      after: { status, ...(reason ? { reason } : {}) },
    });
    const eventType =
      action === "drop"
        ? "enrollment-withdrawn"
        : action === "complete"
          ? "enrollment-completed"
          : null;
    if (eventType) {
      await recordEvents(tx, [
        {
          type: eventType,
          learnerId: enrollment.user_id,
          organizationId: enrollment.organization_id,
          courseId: enrollment.course_id,
          cohortId: enrollment.cohort_id,
          enrollmentId,
          data: reason ? { reason } : {},
          context: requestContext(tx),
        },
      ]);
    }
    return after;
  });
}

/**
 * Ends access that ran out (seed 001 access windows): active and suspended enrollments past
 * `access_expires_at` become `expired`. Self-paced seats go back to the course; a cohort's
 * count stays, as the cohort ran with them. Run by the worker hourly.
 */
export async function expireEnrollments(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom("enrollments")
    .select("id")
    .where("status", "in", ["active", "suspended"])
    .where("access_expires_at", "<=", now)
    .orderBy("access_expires_at")
    .limit(1000)
    .execute();
  let expired = 0;
  for (const { id } of due) {
    await inTransaction(ctx, async (tx) => {
      const enrollment = await tx.db
        .updateTable("enrollments")
        .set({ status: "expired" })
        .where("id", "=", id)
        .where("status", "in", ["active", "suspended"])
        .where("access_expires_at", "<=", now)
        .returningAll()
        .executeTakeFirst();
      if (!enrollment) return;
      if (!enrollment.cohort_id) await countOnCourse(tx, enrollment.course_id, -1);
      await audit(tx, {
        organizationId: enrollment.organization_id,
        action: "enrollment.expire",
        entityType: "enrollment",
        entityId: id,
        after: { status: "expired", access_expires_at: enrollment.access_expires_at },
      });
      await recordEvents(tx, [
        {
          type: "enrollment-expired",
          learnerId: enrollment.user_id,
          organizationId: enrollment.organization_id,
          courseId: enrollment.course_id,
          cohortId: enrollment.cohort_id,
          enrollmentId: id,
          data: {},
        },
      ]);
      expired++;
    });
  }
  return expired;
}
