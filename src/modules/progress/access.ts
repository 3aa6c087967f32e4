import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import type { ModuleRow } from "../catalog/schema.js";
import type { EnrollmentRow } from "../enrollment/schema.js";

/**
 * Who may learn from a course's material, and which modules are open to them. Depends only on
 * the tables, so the catalog (lesson reading) and progress can both ask.
 */

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
  if (!enrollment) return null;
  // Completed learners keep reading their material until the window closes.
  if (enrollment.status !== "active" && enrollment.status !== "completed") return null;
  if (enrollment.access_expires_at && enrollment.access_expires_at <= ctx.clock.now()) return null;
  return enrollment;
}

/** Like accessibleEnrollment, but answers why not as an error. */
export async function requireEnrollment(ctx: Ctx, courseId: string): Promise<EnrollmentRow> {
  if (ctx.actor.kind !== "user")
    throw new AppError("NOT_ENROLLED", "Only enrolled learners record progress");
  const enrollment = await accessibleEnrollment(ctx, ctx.actor.userId, courseId);
  if (enrollment) return enrollment;
  const any = await ctx.db
    .selectFrom("enrollments")
    .select(["status", "access_expires_at"])
    .where("user_id", "=", ctx.actor.userId)
    .where("course_id", "=", courseId)
    .executeTakeFirst();
  throw new AppError(
    "NOT_ENROLLED",
    !any
      ? "Enroll in the course to open this lesson"
      : any.status === "pending-payment"
        ? "The course opens once the payment is through"
        : `Your enrollment is ${any.status === "active" ? "past its access window" : any.status}`,
    { details: { status: any?.status ?? null } },
  );
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
export async function moduleStates(ctx: Ctx, enrollment: EnrollmentRow): Promise<ModuleState[]> {
  const modules = await ctx.db
    .selectFrom("modules")
    .selectAll()
    .where("course_id", "=", enrollment.course_id)
    .where("is_published", "=", true)
    .orderBy("position")
    .execute();
  const progress = await ctx.db
    .selectFrom("module_progress")
    .select(["module_id", "completed_at"])
    .where("enrollment_id", "=", enrollment.id)
    .execute();
  const completed = new Set(progress.filter((p) => p.completed_at).map((p) => p.module_id));
  const now = ctx.clock.now();
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
  const state = (await moduleStates(ctx, enrollment)).find((s) => s.module.id === moduleId);
  if (!state) throw new AppError("NOT_FOUND", "Lesson not found");
  if (!state.unlocked)
    throw new AppError("MODULE_LOCKED", `"${state.module.title}" is not open yet`, {
      details: state.lock,
    });
}
