import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type ActorAccess, can } from "../../platform/policy/engine.js";
import { courseTarget, courseTeam, visibleCourse } from "../catalog/policy.js";
import type { CourseRow } from "../catalog/schema.js";
import type { CohortRow, CohortStatus } from "./schema.js";

/** The lifecycle: scheduled → open → in-progress → completed, or cancelled before completion. */
export const TRANSITIONS: Record<CohortStatus, CohortStatus[]> = {
  scheduled: ["open", "cancelled"],
  open: ["scheduled", "in-progress", "cancelled"],
  "in-progress": ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

/**
 * Who runs a cohort: the course's editors (instructor, editing co-instructors, content
 * administrators) and those who manage cohorts in its organization, or the cohort's own
 * instructor through `cohorts:manage:assigned`.
 */
export async function mayManageCohorts(
  ctx: Ctx,
  course: CourseRow,
  cohort?: CohortRow,
  access?: ActorAccess,
): Promise<boolean> {
  const granted = access ?? (await ctx.actor.access());
  const team = await courseTeam(ctx, course);
  if (can(granted, "courses:manage", courseTarget(course, team, "editors"))) return true;
  return can(granted, "cohorts:manage", {
    organizationId: cohort?.organization_id ?? course.organization_id,
    assigneeIds: [
      team.instructorId,
      ...team.editors,
      ...(cohort?.instructor_id ? [cohort.instructor_id] : []),
    ],
  });
}

async function isMember(ctx: Ctx, organizationId: string): Promise<boolean> {
  if (ctx.actor.kind === "api-key") return ctx.actor.organizationId === organizationId;
  if (ctx.actor.kind !== "user") return false;
  const row = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", ctx.actor.userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return !!row;
}

/** Whether the actor sees a cohort: its course is visible, and a private cohort's organization is theirs. */
async function mayReadCohort(ctx: Ctx, course: CourseRow, cohort: CohortRow): Promise<boolean> {
  if (!cohort.organization_id) return true;
  if (await isMember(ctx, cohort.organization_id)) return true;
  return mayManageCohorts(ctx, course, cohort);
}

export async function visibleCohort(
  ctx: Ctx,
  cohortId: string,
): Promise<{ cohort: CohortRow; course: CourseRow }> {
  const cohort = await ctx.db
    .selectFrom("cohorts")
    .selectAll()
    .where("id", "=", cohortId)
    .executeTakeFirst();
  if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found");
  let course: CourseRow;
  try {
    course = await visibleCourse(ctx, cohort.course_id);
  } catch {
    throw new AppError("NOT_FOUND", "Cohort not found");
  }
  if (!(await mayReadCohort(ctx, course, cohort)))
    throw new AppError("NOT_FOUND", "Cohort not found");
  return { cohort, course };
}

export async function cohortForChange(
  ctx: Ctx,
  cohortId: string,
): Promise<{ cohort: CohortRow; course: CourseRow }> {
  const found = await visibleCohort(ctx, cohortId);
  if (!(await mayManageCohorts(ctx, found.course, found.cohort))) {
    throw new AppError("FORBIDDEN", "You do not run this cohort");
  }
  return found;
}

export async function listCohorts(
  ctx: Ctx,
  courseId: string,
  status?: CohortStatus,
): Promise<CohortRow[]> {
  const course = await visibleCourse(ctx, courseId);
  let q = ctx.db.selectFrom("cohorts").selectAll().where("course_id", "=", courseId);
  if (status) q = q.where("status", "=", status);
  const cohorts = await q.orderBy("starts_at").execute();
  const visible: CohortRow[] = [];
  for (const cohort of cohorts) if (await mayReadCohort(ctx, course, cohort)) visible.push(cohort);
  return visible;
}

export interface CohortInput {
  name: string;
  startsAt: string;
  endsAt: string;
  timezone?: string;
  capacity: number;
  organizationId?: string | null;
  instructorId?: string | null;
  meetingUrl?: string | null;
}

async function validate(
  ctx: Ctx,
  course: CourseRow,
  input: Partial<CohortInput>,
  current?: CohortRow,
) {
  const starts = new Date(input.startsAt ?? (current?.starts_at as Date));
  const ends = new Date(input.endsAt ?? (current?.ends_at as Date));
  if (!(ends > starts))
    throw new AppError("VALIDATION_ERROR", "A cohort ends after it starts", { field: "endsAt" });
  if (input.capacity !== undefined && current && input.capacity < current.enrolled_count) {
    throw new AppError(
      "UNPROCESSABLE",
      `${current.enrolled_count} people are enrolled; capacity cannot go below that`,
      { field: "capacity" },
    );
  }
  if (
    input.organizationId &&
    course.organization_id &&
    input.organizationId !== course.organization_id
  ) {
    throw new AppError(
      "VALIDATION_ERROR",
      "A private course's cohorts belong to its organization",
      { field: "organizationId" },
    );
  }
  if (input.organizationId) {
    const org = await ctx.db
      .selectFrom("organizations")
      .select("id")
      .where("id", "=", input.organizationId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!org)
      throw new AppError("NOT_FOUND", "Organization not found", { field: "organizationId" });
  }
  if (input.instructorId) {
    const user = await ctx.db
      .selectFrom("users")
      .select("id")
      .where("id", "=", input.instructorId)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!user) throw new AppError("NOT_FOUND", "Instructor not found", { field: "instructorId" });
  }
}

/** Schedules a cohort of a cohort-based course; a private course's cohorts stay in its organization. */
export async function createCohort(
  ctx: Ctx,
  courseId: string,
  input: CohortInput,
): Promise<CohortRow> {
  const course = await visibleCourse(ctx, courseId);
  if (!(await mayManageCohorts(ctx, course)))
    throw new AppError("FORBIDDEN", "You do not run this course's cohorts");
  if (course.delivery !== "cohort-based") {
    throw new AppError("UNPROCESSABLE", "Only cohort-based courses have cohorts", {
      field: "courseId",
    });
  }
  await validate(ctx, course, input);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("cohorts")
      .values({
        course_id: courseId,
        organization_id: input.organizationId ?? course.organization_id,
        name: input.name,
        starts_at: new Date(input.startsAt),
        ends_at: new Date(input.endsAt),
        timezone: input.timezone ?? "UTC",
        capacity: input.capacity,
        instructor_id: input.instructorId ?? course.instructor_id,
        meeting_url: input.meetingUrl ?? null,
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "cohort.create",
      entityType: "cohort",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateCohort(
  ctx: Ctx,
  cohortId: string,
  patch: Partial<CohortInput>,
): Promise<CohortRow> {
  const { cohort, course } = await cohortForChange(ctx, cohortId);
  if (cohort.status === "completed" || cohort.status === "cancelled") {
    throw new AppError("UNPROCESSABLE", `A ${cohort.status} cohort cannot change`);
  }
  await validate(ctx, course, patch, cohort);
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("cohorts")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.startsAt !== undefined ? { starts_at: new Date(patch.startsAt) } : {}),
        ...(patch.endsAt !== undefined ? { ends_at: new Date(patch.endsAt) } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
        ...(patch.organizationId !== undefined ? { organization_id: patch.organizationId } : {}),
        ...(patch.instructorId !== undefined ? { instructor_id: patch.instructorId } : {}),
        ...(patch.meetingUrl !== undefined ? { meeting_url: patch.meetingUrl } : {}),
      })
      .where("id", "=", cohortId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: cohort.organization_id,
      action: "cohort.update",
      entityType: "cohort",
      entityId: cohortId,
      before: cohort,
      after,
    });
    return after;
  });
}

/** Moves a cohort along its lifecycle; anything else answers UNPROCESSABLE naming the allowed steps. */
export async function transitionCohort(
  ctx: Ctx,
  cohortId: string,
  status: CohortStatus,
  reason?: string | null,
): Promise<CohortRow> {
  const { cohort } = await cohortForChange(ctx, cohortId);
  if (cohort.status === status) return cohort;
  const allowed = TRANSITIONS[cohort.status];
  if (!allowed.includes(status)) {
    throw new AppError("UNPROCESSABLE", `A ${cohort.status} cohort cannot become ${status}`, {
      field: "status",
      details: { allowed },
    });
  }
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("cohorts")
      .set({ status, ...(status === "cancelled" ? { cancelled_reason: reason ?? null } : {}) })
      .where("id", "=", cohortId)
      .where("status", "=", cohort.status)
      .returningAll()
      .executeTakeFirst();
    if (!after) throw new AppError("CONFLICT", "The cohort changed meanwhile; try again");
    await audit(tx, {
      organizationId: cohort.organization_id,
      action: `cohort.${status}`,
      entityType: "cohort",
      entityId: cohortId,
      before: { status: cohort.status },
      after: { status, ...(reason ? { reason } : {}) },
    });
    return after;
  });
}
