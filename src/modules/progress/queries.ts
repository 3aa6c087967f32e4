import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { moduleStates } from "./access.js";

/** Read models of progress: one enrollment's course map, and a learner's transcript. */

export async function enrollmentProgress(ctx: Ctx, enrollment: EnrollmentRow) {
  const states = await moduleStates(ctx, enrollment);
  const lessons = await ctx.db
    .selectFrom("lessons as l")
    .leftJoin("lesson_progress as p", (join) =>
      join.onRef("p.lesson_id", "=", "l.id").on("p.enrollment_id", "=", enrollment.id),
    )
    .select([
      "l.id",
      "l.module_id",
      "l.title",
      "l.content_type",
      "l.duration_minutes",
      "l.min_time_seconds",
      "l.position",
      "p.status",
      "p.started_at",
      "p.completed_at",
      "p.time_spent_seconds",
      "p.last_position",
      "p.completion_percent",
    ])
    .where("l.course_id", "=", enrollment.course_id)
    .where("l.is_published", "=", true)
    .orderBy("l.position")
    .execute();
  const modules = await ctx.db
    .selectFrom("module_progress")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .execute();
  const quizzes = await ctx.db
    .selectFrom("quizzes as q")
    .leftJoin("quiz_results as r", (join) =>
      join.onRef("r.quiz_id", "=", "q.id").on("r.enrollment_id", "=", enrollment.id),
    )
    .select([
      "q.id",
      "q.module_id",
      "q.lesson_id",
      "q.title",
      "q.kind",
      "q.required_for_completion",
      "q.passing_score",
      "r.attempts_used",
      "r.best_score",
      "r.passed",
      "r.satisfied_at",
    ])
    .where("q.course_id", "=", enrollment.course_id)
    .where("q.is_published", "=", true)
    .where("q.deleted_at", "is", null)
    .orderBy("q.created_at")
    .orderBy("q.title")
    .execute();
  return {
    enrollment,
    modules: states.map((s) => {
      const mp = modules.find((m) => m.module_id === s.module.id);
      const own = lessons.filter((l) => l.module_id === s.module.id);
      const completed = own.filter((l) => l.status === "completed").length;
      return {
        id: s.module.id,
        title: s.module.title,
        position: s.module.position,
        unlocked: s.unlocked,
        lock: s.lock ?? null,
        completed: s.completed,
        completedAt: mp?.completed_at ?? null,
        lessonsCompleted: completed,
        lessonsTotal: own.length,
        completionPercent: own.length ? Math.round((completed / own.length) * 10_000) / 100 : 0,
        timeSpentSeconds: mp?.time_spent_seconds ?? 0,
        lessons: own.map((l) => ({
          id: l.id,
          title: l.title,
          contentType: l.content_type,
          durationMinutes: l.duration_minutes,
          minTimeSeconds: l.min_time_seconds,
          status: (l.status ?? "not-started") as "not-started" | "in-progress" | "completed",
          startedAt: l.started_at ?? null,
          completedAt: l.completed_at ?? null,
          timeSpentSeconds: l.time_spent_seconds ?? 0,
          lastPosition: l.last_position ?? 0,
          completionPercent: Number(l.completion_percent ?? 0),
        })),
        quizzes: quizzes
          .filter((q) => q.module_id === s.module.id)
          .map((q) => ({
            id: q.id,
            lessonId: q.lesson_id,
            title: q.title,
            kind: q.kind,
            requiredForCompletion: q.required_for_completion,
            passingScore: Number(q.passing_score),
            attemptsUsed: q.attempts_used ?? 0,
            bestScore: numberOrNull(q.best_score),
            passed: q.passed ?? false,
            counted: !!q.satisfied_at,
          })),
      };
    }),
  };
}

/** Everything a person has taken, newest first, with totals (their own record of learning). */
export async function transcript(ctx: Ctx, userId: string) {
  const rows = await ctx.db
    .selectFrom("enrollments as e")
    .innerJoin("courses as c", "c.id", "e.course_id")
    .leftJoin("cohorts as h", "h.id", "e.cohort_id")
    .select([
      "e.id",
      "e.course_id",
      "c.title as course_title",
      "c.code as course_code",
      "c.duration_minutes as course_minutes",
      "h.name as cohort_name",
      "e.status",
      "e.source",
      "e.is_mandatory",
      "e.is_compliance",
      "e.due_at",
      "e.enrolled_at",
      "e.started_at",
      "e.completed_at",
      "e.progress_percent",
      "e.lessons_completed",
      "e.lessons_total",
      "e.time_spent_seconds",
      "e.last_accessed_at",
    ])
    .where("e.user_id", "=", userId)
    .orderBy("e.enrolled_at", "desc")
    .execute();
  const completed = rows.filter((r) => r.status === "completed");
  return {
    rows,
    totals: {
      enrollments: rows.length,
      completed: completed.length,
      inProgress: rows.filter((r) => r.status === "active").length,
      timeSpentSeconds: rows.reduce((n, r) => n + r.time_spent_seconds, 0),
    },
  };
}
