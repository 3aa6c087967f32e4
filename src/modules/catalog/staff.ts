import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { courseForChange, visibleCourse } from "./policy.js";

export interface StaffInput {
  role: "co-instructor" | "teaching-assistant";
  canEditContent?: boolean;
  canGrade?: boolean;
  canManageEnrollments?: boolean;
}

/** A course's co-instructors and teaching assistants. */
export async function listStaff(ctx: Ctx, courseId: string) {
  await visibleCourse(ctx, courseId);
  return ctx.db
    .selectFrom("course_staff as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select([
      "s.user_id",
      "s.role",
      "s.can_edit_content",
      "s.can_grade",
      "s.can_manage_enrollments",
      "s.assigned_at",
      "u.first_name",
      "u.last_name",
      "u.email",
    ])
    .where("s.course_id", "=", courseId)
    .orderBy("u.last_name")
    .execute();
}

export type StaffView = Awaited<ReturnType<typeof listStaff>>[number];

/**
 * Adds or changes a staff member (seed 002 course_staff). Co-instructors edit content by
 * default, teaching assistants do not. Organization courses take staff from the organization.
 */
export async function putStaff(ctx: Ctx, courseId: string, userId: string, input: StaffInput) {
  const course = await courseForChange(ctx, courseId);
  if (userId === course.instructor_id)
    throw new AppError("UNPROCESSABLE", "The instructor already runs this course", {
      field: "userId",
    });
  const user = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!user) throw new AppError("NOT_FOUND", "User not found", { field: "userId" });
  if (course.organization_id) {
    const member = await ctx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", course.organization_id)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    if (!member)
      throw new AppError("NOT_FOUND", "This person is not a member of the course's organization", {
        field: "userId",
      });
  }
  const values = {
    role: input.role,
    can_edit_content: input.canEditContent ?? input.role === "co-instructor",
    can_grade: input.canGrade ?? true,
    can_manage_enrollments: input.canManageEnrollments ?? input.role === "co-instructor",
  };
  await inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("course_staff")
      .values({
        ...values,
        course_id: courseId,
        user_id: userId,
        assigned_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        assigned_at: tx.clock.now(),
      })
      .onConflict((oc) => oc.columns(["course_id", "user_id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "course.staff-put",
      entityType: "course",
      entityId: courseId,
      after: row,
    });
  });
  return listStaff(ctx, courseId);
}

export async function removeStaff(ctx: Ctx, courseId: string, userId: string) {
  const course = await courseForChange(ctx, courseId);
  await inTransaction(ctx, async (tx) => {
    const removed = await tx.db
      .deleteFrom("course_staff")
      .where("course_id", "=", courseId)
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new AppError("NOT_FOUND", "This person is not on the course's staff");
    await audit(tx, {
      organizationId: course.organization_id,
      action: "course.staff-remove",
      entityType: "course",
      entityId: courseId,
      before: removed,
    });
  });
}
