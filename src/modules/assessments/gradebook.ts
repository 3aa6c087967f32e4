import type { Ctx } from "../../platform/context.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import type { QuizKind } from "./schema.js";

/**
 * The course grade (seed 002 quizzes.weight): each learner's best score per quiz, weighted by
 * the quizzes' `weightPercent`. When no quiz of the course carries a weight, every published
 * quiz of a graded kind counts equally. `currentGrade` averages the quizzes taken so far;
 * `finalGrade` counts a quiz not yet taken as 0.
 */

const GRADED_KINDS: QuizKind[] = [
  "graded",
  "certification",
  "knowledge-check",
  "skill-assessment",
  "post-course",
];

const round2 = (n: number) => Math.round(n * 100) / 100;

async function gradedQuizzes(ctx: Ctx, courseId: string) {
  const quizzes = await ctx.db
    .selectFrom("quizzes")
    .select(["id", "title", "kind", "weight_percent", "passing_score"])
    .where("course_id", "=", courseId)
    .where("is_published", "=", true)
    .where("deleted_at", "is", null)
    .orderBy("created_at")
    .orderBy("title")
    .execute();
  const weighted = quizzes.filter((q) => q.weight_percent !== null && Number(q.weight_percent) > 0);
  const counted = weighted.length ? weighted : quizzes.filter((q) => GRADED_KINDS.includes(q.kind));
  return counted.map((q) => ({
    id: q.id,
    title: q.title,
    kind: q.kind,
    weight: weighted.length ? Number(q.weight_percent) : 1,
  }));
}

export async function courseGrades(ctx: Ctx, courseId: string, enrollments: EnrollmentRow[]) {
  const quizzes = await gradedQuizzes(ctx, courseId);
  const results =
    enrollments.length && quizzes.length
      ? await ctx.db
          .selectFrom("quiz_results")
          .select([
            "enrollment_id",
            "quiz_id",
            "best_score",
            "best_attempt_id",
            "last_attempt_id",
            "passed",
            "attempts_used",
          ])
          .where(
            "enrollment_id",
            "in",
            enrollments.map((e) => e.id),
          )
          .where(
            "quiz_id",
            "in",
            quizzes.map((q) => q.id),
          )
          .execute()
      : [];
  const totalWeight = quizzes.reduce((n, q) => n + q.weight, 0);
  return {
    quizzes: quizzes.map((q) => ({
      ...q,
      weightShare: totalWeight ? round2((q.weight / totalWeight) * 100) : 0,
    })),
    learners: enrollments.map((e) => {
      const scores = quizzes.map((q) => {
        const r = results.find((x) => x.enrollment_id === e.id && x.quiz_id === q.id);
        return {
          quizId: q.id,
          bestScore: r?.best_score == null ? null : Number(r.best_score),
          bestAttemptId: r?.best_attempt_id ?? null,
          lastAttemptId: r?.last_attempt_id ?? null,
          passed: r?.passed ?? false,
          attemptsUsed: r?.attempts_used ?? 0,
        };
      });
      const taken = scores
        .map((s, i) => ({ s, w: quizzes[i]?.weight ?? 0 }))
        .filter((x) => x.s.bestScore !== null);
      const takenWeight = taken.reduce((n, x) => n + x.w, 0);
      return {
        enrollmentId: e.id,
        userId: e.user_id,
        scores,
        currentGrade: takenWeight
          ? round2(taken.reduce((n, x) => n + (x.s.bestScore ?? 0) * x.w, 0) / takenWeight)
          : null,
        finalGrade: totalWeight
          ? round2(taken.reduce((n, x) => n + (x.s.bestScore ?? 0) * x.w, 0) / totalWeight)
          : null,
      };
    }),
  };
}
