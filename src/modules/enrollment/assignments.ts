import { sql } from "kysely";
import { likePattern } from "../../db/values.js";
import { auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate, sortOf } from "../../platform/http/pagination.js";
import { restrictedSql } from "../access/learner-privacy.js";
import { memberVisibility, visibleMembersWhere } from "../organizations/visibility.js";
import { visibleEnrollment } from "./manage.js";
import type { EnrollmentStatus } from "./schema.js";

/**
 * An organization's enrollments as its administrators and managers follow them: who was
 * assigned what, by when, and who is late. Readers see the learners their `enrollments:read`
 * scope reaches (everyone, their departments, the teams they lead, themselves).
 */

/** Statuses in which a due date still binds: the training is not done and not withdrawn. */
export const OPEN_STATUSES: EnrollmentStatus[] = ["active", "suspended", "pending-payment"];
/** How far ahead "due soon" looks. */
export const DUE_SOON_DAYS = 14;

export const ASSIGNMENT_SORTS = ["dueAt", "learner", "course", "enrolledAt", "progress"] as const;
const SORT_COLUMNS = {
  dueAt: "e.due_at",
  learner: "u.last_name",
  course: "c.title",
  enrolledAt: "e.enrolled_at",
  progress: "e.progress_percent",
};

export interface OrganizationEnrollmentQuery {
  page: number;
  limit: number;
  sort: string;
  status?: EnrollmentStatus;
  courseId?: string;
  userId?: string;
  departmentId?: string;
  teamId?: string;
  search?: string;
  required?: "mandatory" | "compliance" | "either";
  due?: "overdue" | "due-soon" | "dated" | "undated";
  assigned?: boolean;
}

export async function organizationEnrollments(
  ctx: Ctx,
  organizationId: string,
  query: OrganizationEnrollmentQuery,
) {
  const visibility = memberVisibility(await ctx.actor.access(), organizationId, "enrollments:read");
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("users as u", "u.id", "e.user_id")
    .innerJoin("courses as c", "c.id", "e.course_id")
    .leftJoin("cohorts as h", "h.id", "e.cohort_id")
    .leftJoin("organization_members as m", (join) =>
      join.onRef("m.user_id", "=", "e.user_id").on("m.organization_id", "=", organizationId),
    )
    .leftJoin("departments as d", "d.id", "m.department_id")
    .selectAll("e")
    .select([
      "u.email",
      "u.first_name",
      "u.last_name",
      "c.title as course_title",
      "c.code as course_code",
      "c.slug as course_slug",
      "h.name as cohort_name",
      "d.id as department_id",
      "d.name as department_name",
    ])
    .where("e.organization_id", "=", organizationId);
  if (!visibility.everyone)
    q = q.where(
      visibleMembersWhere(visibility, { userId: "e.user_id", departmentId: "m.department_id" }),
    );
  if (query.status) q = q.where("e.status", "=", query.status);
  if (query.courseId) q = q.where("e.course_id", "=", query.courseId);
  if (query.userId) q = q.where("e.user_id", "=", query.userId);
  if (query.departmentId) q = q.where("m.department_id", "=", query.departmentId);
  if (query.teamId) {
    const teamId = query.teamId;
    q = q.where(
      "e.user_id",
      "in",
      ctx.db.selectFrom("team_members").select("user_id").where("team_id", "=", teamId),
    );
  }
  if (query.required === "mandatory") q = q.where("e.is_mandatory", "=", true);
  if (query.required === "compliance") q = q.where("e.is_compliance", "=", true);
  if (query.required === "either")
    q = q.where((eb) => eb.or([eb("e.is_mandatory", "=", true), eb("e.is_compliance", "=", true)]));
  if (query.assigned) q = q.where("e.source", "in", ["admin", "manager", "compliance"]);
  if (query.due === "undated") q = q.where("e.due_at", "is", null);
  if (query.due === "dated") q = q.where("e.due_at", "is not", null);
  if (query.due === "overdue")
    q = q.where("e.due_at", "<", now).where("e.status", "in", OPEN_STATUSES);
  if (query.due === "due-soon")
    q = q
      .where("e.due_at", ">=", now)
      .where("e.due_at", "<", new Date(now.getTime() + DUE_SOON_DAYS * 86_400_000))
      .where("e.status", "in", OPEN_STATUSES);
  if (query.search) {
    const pattern = likePattern(query.search.trim());
    // A restricted person's row is listed without their name: a search by name skips it.
    q = q.where((eb) =>
      eb.or([
        eb.and([
          eb.or([
            eb("u.email", "ilike", pattern),
            eb(sql`u.first_name || ' ' || u.last_name`, "ilike", pattern),
          ]),
          eb.not(restrictedSql("e.user_id", { column: "e.organization_id" })),
        ]),
        eb("c.title", "ilike", pattern),
      ]),
    );
  }
  const order = sortOf(query.sort, SORT_COLUMNS);
  // Undated enrollments sort after dated ones whichever way the dates run.
  const column =
    order.column === "e.due_at"
      ? sql`coalesce(e.due_at, ${sql.raw(order.direction === "asc" ? "'infinity'" : "'-infinity'")}::timestamptz)`
      : order.column;
  const { rows, pagination } = await paginate(
    q,
    query,
    { column: column as string, direction: order.direction },
    "e.id",
  );
  return { rows, pagination, now };
}

export type OrganizationEnrollmentRow = Awaited<
  ReturnType<typeof organizationEnrollments>
>["rows"][number];

/** Whether an enrollment is past its due date and still open. */
export function isOverdue(
  e: { due_at: Date | null; status: EnrollmentStatus },
  now: Date,
): boolean {
  return e.due_at !== null && e.due_at < now && OPEN_STATUSES.includes(e.status);
}

export interface AssignmentPatch {
  dueAt?: string | null;
  isMandatory?: boolean;
  isCompliance?: boolean;
}

/**
 * Changes an assignment's due date and mandatory/compliance flags (`enrollments:manage` over
 * the learner). Withdrawn and expired enrollments keep what they had.
 */
export async function updateAssignment(ctx: Ctx, enrollmentId: string, patch: AssignmentPatch) {
  await visibleEnrollment(ctx, enrollmentId, "enrollments:manage");
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("enrollments")
      .selectAll()
      .where("id", "=", enrollmentId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.status === "dropped" || before.status === "expired")
      throw new AppError("UNPROCESSABLE", `A ${before.status} enrollment cannot be changed`, {
        details: { status: before.status },
      });
    const after = await tx.db
      .updateTable("enrollments")
      .set({
        ...(patch.dueAt !== undefined
          ? { due_at: patch.dueAt === null ? null : new Date(patch.dueAt) }
          : {}),
        ...(patch.isMandatory !== undefined ? { is_mandatory: patch.isMandatory } : {}),
        ...(patch.isCompliance !== undefined ? { is_compliance: patch.isCompliance } : {}),
      })
      .where("id", "=", enrollmentId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: before.organization_id,
      action: "enrollment.update",
      entityType: "enrollment",
      entityId: enrollmentId,
      before: {
        due_at: before.due_at,
        is_mandatory: before.is_mandatory,
        is_compliance: before.is_compliance,
      },
      after: {
        due_at: after.due_at,
        is_mandatory: after.is_mandatory,
        is_compliance: after.is_compliance,
      },
    });
    return after;
  });
}
