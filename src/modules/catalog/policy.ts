import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type ActorAccess, authorize, can, type Target } from "../../platform/policy/engine.js";
import type { CourseRow } from "./schema.js";

/** Who works on a course: the instructor and the staff, with what each may do. */
export interface CourseTeam {
  instructorId: string;
  editors: string[];
  staff: string[];
}

export async function courseTeam(ctx: Ctx, course: CourseRow): Promise<CourseTeam> {
  const staff = await ctx.db
    .selectFrom("course_staff")
    .select(["user_id", "can_edit_content"])
    .where("course_id", "=", course.id)
    .execute();
  return {
    instructorId: course.instructor_id,
    editors: staff.filter((s) => s.can_edit_content).map((s) => s.user_id),
    staff: staff.map((s) => s.user_id),
  };
}

/** The policy target of a course: its organization, its instructor, and its editors or staff. */
export function courseTarget(
  course: CourseRow,
  team: CourseTeam,
  assignees: "editors" | "staff",
): Target {
  return {
    organizationId: course.organization_id,
    ownerId: team.instructorId,
    assigneeIds: team[assignees],
  };
}

/**
 * Whether the actor may see a course: published courses of the platform catalog are public;
 * published courses of an organization are visible to its active members; drafts, archived
 * and deleted courses only to those who may read or manage them.
 */
export async function mayReadCourse(
  ctx: Ctx,
  course: CourseRow,
  access?: ActorAccess,
): Promise<boolean> {
  const granted = access ?? (await ctx.actor.access());
  if (course.deleted_at) return isEverywhere(granted);
  if (course.status === "published") {
    if (!course.organization_id) return true;
    if (await isActiveMember(ctx, course.organization_id)) return true;
  }
  const team = await courseTeam(ctx, course);
  return (
    can(granted, "courses:read", courseTarget(course, team, "staff")) ||
    can(granted, "courses:manage", courseTarget(course, team, "editors"))
  );
}

function isEverywhere(access: ActorAccess): boolean {
  return access.grants.some(
    (g) => g.resource === "courses" && g.action === "manage" && g.scope === "all",
  );
}

async function isActiveMember(ctx: Ctx, organizationId: string): Promise<boolean> {
  if (ctx.actor.kind === "api-key") return ctx.actor.organizationId === organizationId;
  if (ctx.actor.kind !== "user") return false;
  const member = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", ctx.actor.userId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return !!member;
}

/** Loads a course the actor may see, or answers NOT_FOUND (never revealing hidden courses). */
export async function visibleCourse(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await ctx.db
    .selectFrom("courses")
    .selectAll()
    .where("id", "=", courseId)
    .executeTakeFirst();
  if (!course || !(await mayReadCourse(ctx, course)))
    throw new AppError("NOT_FOUND", "Course not found");
  return course;
}

/**
 * Loads a course for a change: NOT_FOUND when the actor cannot even see it, FORBIDDEN when
 * they can see it but may not do `ability` (editing needs the instructor, an editing
 * co-instructor, or an organization-wide content administrator).
 */
export async function courseForChange(
  ctx: Ctx,
  courseId: string,
  ability: "courses:manage" | "courses:publish" = "courses:manage",
): Promise<CourseRow> {
  const course = await visibleCourse(ctx, courseId);
  if (course.deleted_at) throw new AppError("NOT_FOUND", "Course not found");
  const team = await courseTeam(ctx, course);
  authorize(await ctx.actor.access(), ability, courseTarget(course, team, "editors"));
  if (course.integration_id)
    throw new AppError(
      "COURSE_EXTERNAL",
      "This course is mirrored from an external system: change it there, and the next sync brings the change",
    );
  return course;
}

/**
 * Loads a course for its people: the instructor, staff, editors and organization-wide readers.
 * Others who can see the course are told the material is for enrolled learners.
 */
export async function courseForStaff(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await visibleCourse(ctx, courseId);
  const team = await courseTeam(ctx, course);
  const access = await ctx.actor.access();
  if (
    can(access, "courses:read", courseTarget(course, team, "staff")) ||
    can(access, "courses:manage", courseTarget(course, team, "editors"))
  ) {
    return course;
  }
  throw new AppError("NOT_ENROLLED", "This material is for the course's enrolled learners");
}
