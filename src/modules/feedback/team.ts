import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { can } from "../../platform/policy/engine.js";
import { courseTarget, courseTeam } from "../catalog/policy.js";
import type { CourseRow } from "../catalog/schema.js";

/** Whether the actor teaches the course: its instructor, its staff, or one of its editors. */
export async function isCourseTeam(ctx: Ctx, course: CourseRow): Promise<boolean> {
  const team = await courseTeam(ctx, course);
  if (ctx.actor.kind === "user" && [team.instructorId, ...team.staff].includes(ctx.actor.userId))
    return true;
  return can(await ctx.actor.access(), "courses:manage", courseTarget(course, team, "editors"));
}

export async function assertCourseTeam(ctx: Ctx, course: CourseRow): Promise<void> {
  if (!(await isCourseTeam(ctx, course)))
    throw new AppError("FORBIDDEN", "Only the course's instructor and staff may do this");
}
