import { sql } from "kysely";
import { type DateColumnSet, manyFromJson } from "../../db/json-rows.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { ModuleRow } from "../catalog/schema.js";
import type { EnrollmentRow } from "../enrollment/schema.js";

/**
 * Who may learn from a course's material, and which modules are open to them. Depends only on
 * the tables, so the catalog (lesson reading) and progress can both ask.
 */

/** Whether an enrollment opens the material now: active or completed, inside its access window. */
export function grantsAccess(enrollment: EnrollmentRow, now: Date): boolean {
  // Completed learners keep reading their material until the window closes.
  if (enrollment.status !== "active" && enrollment.status !== "completed") return false;
  return !(enrollment.access_expires_at && enrollment.access_expires_at <= now);
}

/** The learner's enrollment that grants access now: active, and inside its access window. */
export async function accessibleEnrollment(
  ctx: Ctx,
  userId: string,
  courseId: string,
): Promise<EnrollmentRow | null> {
  const enrollment = await ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("user_id", "=", userId)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  return enrollment && grantsAccess(enrollment, ctx.clock.now()) ? enrollment : null;
}

/**
 * Whether a person's enrollment opens a course's material now: the catalog asks it before
 * serving a course's files (passed in by app.ts, as the catalog sits below enrollments).
 */
export async function learnsFrom(ctx: Ctx, userId: string, courseId: string): Promise<boolean> {
  return (await accessibleEnrollment(ctx, userId, courseId)) !== null;
}

/** Why someone may not learn from a course, given their enrollment in it (if any). */
export function notEnrolled(enrollment: Pick<EnrollmentRow, "status"> | undefined): AppError {
  return new AppError(
    "NOT_ENROLLED",
    !enrollment
      ? "Enroll in the course to open this lesson"
      : enrollment.status === "pending-payment"
        ? "The course opens once the payment is through"
        : `Your enrollment is ${enrollment.status === "active" ? "past its access window" : enrollment.status}`,
    { details: { status: enrollment?.status ?? null } },
  );
}

/** Like accessibleEnrollment, but answers why not as an error. */
export async function requireEnrollment(ctx: Ctx, courseId: string): Promise<EnrollmentRow> {
  if (ctx.actor.kind !== "user")
    throw new AppError("NOT_ENROLLED", "Only enrolled learners record progress");
  const enrollment = await ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("user_id", "=", ctx.actor.userId)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  if (enrollment && grantsAccess(enrollment, ctx.clock.now())) return enrollment;
  throw notEnrolled(enrollment);
}

export interface ModuleState {
  module: ModuleRow;
  unlocked: boolean;
  completed: boolean;
  /** Why a locked module is locked. */
  lock?: { type: ModuleRow["unlock_type"]; unlockAt?: string; waitingFor?: string[] };
}

/**
 * The modules of a course in order, each open or locked for this enrollment (seed 002 unlock
 * rules): immediate; scheduled (from `unlock_at`); sequential (after the module before it);
 * prerequisites (after every listed module). A module is complete when all its published
 * lessons are.
 */
export async function moduleStates(
  ctx: Ctx,
  enrollment: Pick<EnrollmentRow, "id" | "course_id">,
): Promise<ModuleState[]> {
  const { rows } = await sql<{ modules: unknown }>`
    select ${modulesJson(enrollment)} as modules`.execute(ctx.db);
  return statesOf(rows[0]?.modules, ctx.clock.now());
}

const MODULE_DATES = {
  unlock_at: true,
  created_at: true,
  updated_at: true,
  progress_completed_at: true,
} satisfies DateColumnSet<ModuleRow & { progress_completed_at: Date | null }>;

/**
 * The published modules of the enrollment's course in order, each with when the enrollment
 * completed it, as one JSON value (`statesOf` reads it): a statement that changes progress
 * reads them in the same round trip.
 */
export function modulesJson(enrollment: Pick<EnrollmentRow, "id" | "course_id">) {
  return sql<unknown>`(
    select json_agg(module order by module.position) from (
      select m.*, p.completed_at as progress_completed_at
      from modules m
      left join module_progress p on p.module_id = m.id and p.enrollment_id = ${enrollment.id}
      where m.course_id = ${enrollment.course_id} and m.is_published) module)`;
}

/** The module states of what `modulesJson` answered, at `now`. */
export function statesOf(value: unknown, now: Date): ModuleState[] {
  const rows = manyFromJson<ModuleRow & { progress_completed_at: Date | null }>(
    value,
    MODULE_DATES,
  );
  const completed = new Set(rows.filter((r) => r.progress_completed_at).map((r) => r.id));
  const modules: ModuleRow[] = rows.map(({ progress_completed_at: _, ...module }) => module);
  return modules.map((module, i) => {
    const done = completed.has(module.id);
    switch (module.unlock_type) {
      case "scheduled": {
        const open = !module.unlock_at || module.unlock_at <= now;
        return {
          module,
          unlocked: open,
          completed: done,
          ...(open
            ? {}
            : { lock: { type: "scheduled" as const, unlockAt: module.unlock_at?.toISOString() } }),
        };
      }
      case "sequential": {
        const before = modules[i - 1];
        const open = !before || completed.has(before.id);
        return {
          module,
          unlocked: open,
          completed: done,
          ...(open || !before
            ? {}
            : { lock: { type: "sequential" as const, waitingFor: [before.id] } }),
        };
      }
      case "prerequisites": {
        const missing = module.prerequisite_module_ids.filter((id) => !completed.has(id));
        return {
          module,
          unlocked: !missing.length,
          completed: done,
          ...(missing.length
            ? { lock: { type: "prerequisites" as const, waitingFor: missing } }
            : {}),
        };
      }
      default:
        return { module, unlocked: true, completed: done };
    }
  });
}

/** Refuses a locked module with MODULE_LOCKED, saying what it waits for. */
export async function assertModuleUnlocked(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  moduleId: string,
): Promise<void> {
  assertUnlocked(await moduleStates(ctx, enrollment), moduleId);
}

/** assertModuleUnlocked on module states already read. */
export function assertUnlocked(states: ModuleState[], moduleId: string): void {
  const state = states.find((s) => s.module.id === moduleId);
  if (!state) throw new AppError("NOT_FOUND", "Lesson not found");
  if (!state.unlocked)
    throw new AppError("MODULE_LOCKED", `"${state.module.title}" is not open yet`, {
      details: state.lock,
    });
}
