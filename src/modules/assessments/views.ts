import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { moduleStates, requireEnrollment } from "../progress/access.js";
import {
  type AttemptParts,
  attemptsOf,
  attemptWithQuestions,
  quizById,
  takeableQuiz,
  windowProblem,
} from "./attempt-reads.js";
import { answersRevealed, attemptView } from "./attempt-view.js";
import { courseForGrading } from "./grade.js";
import { ownAttemptAsRemembered, rememberAttempt } from "./open-attempts.js";
import type { QuizAttemptRow } from "./schema.js";

/** Read models of assessments: a learner's quiz page, one attempt, and a quiz's gradebook. */

export function attemptSummary(a: QuizAttemptRow) {
  const open = a.status === "in-progress";
  return {
    id: a.id,
    attemptNumber: a.attempt_number,
    status: a.status,
    endReason: a.end_reason,
    startedAt: a.started_at.toISOString(),
    deadlineAt: a.deadline_at?.toISOString() ?? null,
    submittedAt: a.submitted_at?.toISOString() ?? null,
    score: open ? null : numberOrNull(a.score),
    passed: open ? null : a.passed,
    pendingManual: a.pending_manual,
  };
}

/**
 * What an enrolled learner sees before starting: the quiz's rules (never its questions), their
 * attempts and standing, and whether they can start now — and if not, why.
 */
export async function quizSummary(ctx: Ctx, quizId: string) {
  const quiz = await takeableQuiz(ctx, quizId);
  const enrollment = await requireEnrollment(ctx, quiz.course_id);
  const attempts = await attemptsOf(ctx, quiz.id, enrollment.user_id);
  const result = await ctx.db
    .selectFrom("quiz_results")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .where("quiz_id", "=", quiz.id)
    .executeTakeFirst();
  const questionCount = await ctx.db
    .selectFrom("quiz_questions")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("quiz_id", "=", quiz.id)
    .executeTakeFirstOrThrow();
  const now = ctx.clock.now();
  const open = attempts.find((a) => a.status === "in-progress");
  const state = (await moduleStates(ctx, enrollment)).find((s) => s.module.id === quiz.module_id);
  const used = attempts.length;
  let blockedBy: AppError | null = null;
  if (!open) {
    if (state && !state.unlocked)
      blockedBy = new AppError("MODULE_LOCKED", `"${state.module.title}" is not open yet`, {
        details: state.lock,
      });
    else if (quiz.attempt_limit !== null && used >= quiz.attempt_limit)
      blockedBy = new AppError("ATTEMPT_LIMIT_REACHED", "Every attempt is used");
    else blockedBy = windowProblem(quiz, now);
  }
  const served = Math.min(
    Number(questionCount.n),
    quiz.questions_per_attempt ?? Number.MAX_SAFE_INTEGER,
  );
  return {
    quiz: {
      id: quiz.id,
      courseId: quiz.course_id,
      moduleId: quiz.module_id,
      lessonId: quiz.lesson_id,
      title: quiz.title,
      description: quiz.description,
      instructions: quiz.instructions,
      kind: quiz.kind,
      availableFrom: quiz.available_from?.toISOString() ?? null,
      availableUntil: quiz.available_until?.toISOString() ?? null,
      timeLimitMinutes: quiz.time_limit_minutes,
      attemptLimit: quiz.attempt_limit,
      passingScore: Number(quiz.passing_score),
      questionCount: served,
      allowBackNavigation: quiz.allow_back_navigation,
      showCorrectAnswers: quiz.show_correct_answers,
      requiredForCompletion: quiz.required_for_completion,
    },
    attempts: attempts.map(attemptSummary),
    attemptsUsed: used,
    attemptsLeft: quiz.attempt_limit === null ? null : Math.max(0, quiz.attempt_limit - used),
    openAttemptId: open?.id ?? null,
    canStart: !open && !blockedBy,
    blockedBy: blockedBy ? { code: blockedBy.code, message: blockedBy.message } : null,
    standing: result
      ? {
          bestScore: numberOrNull(result.best_score),
          lastScore: numberOrNull(result.last_score),
          passed: result.passed,
          passedAt: result.passed_at?.toISOString() ?? null,
          counted: !!result.satisfied_at,
        }
      : null,
  };
}

/**
 * One attempt: its learner sees it under the answer policy; the course's graders see all. A
 * learner reloading their open attempt is shown it from memory when one statement finds it
 * unchanged since this process last saved or read it (open-attempts.ts).
 */
export async function viewAttempt(ctx: Ctx, attemptId: string) {
  const remembered = await ownAttemptAsRemembered(ctx, attemptId);
  if (remembered) return showAttempt(ctx, remembered);
  const found = await attemptWithQuestions(ctx, attemptId, { answers: true });
  if (!found) throw new AppError("NOT_FOUND", "Attempt not found");
  const { attempt, questions, quiz, answers = [] } = found;
  const own = ctx.actor.kind === "user" && ctx.actor.userId === attempt.user_id;
  if (own && attempt.status === "in-progress") rememberAttempt(ctx.db, { ...found, answers });
  if (!own)
    await courseForGrading(ctx, attempt.course_id).catch(() => {
      throw new AppError("NOT_FOUND", "Attempt not found");
    });
  return showAttempt(ctx, { quiz, attempt, questions, answers }, !own);
}

/**
 * The view of an attempt from what a change already read. The attempts history (for the
 * answer policy) is only read for a closed attempt: an open one never reveals answers.
 */
export async function showAttempt(ctx: Ctx, parts: AttemptParts, staff = false) {
  const { quiz, attempt } = parts;
  const now = ctx.clock.now();
  const history =
    attempt.status === "in-progress"
      ? []
      : (parts.history ?? (await attemptsOf(ctx, quiz.id, attempt.user_id)));
  return attemptView({
    ...parts,
    reveal: answersRevealed(quiz, attempt, history, now),
    staff,
    now,
    ...(staff ? { people: await namesOf(ctx, parts) } : {}),
  });
}

/** The learner's and the graders' names, for the course team's view of an attempt. */
async function namesOf(ctx: Ctx, parts: AttemptParts) {
  const ids = new Set([parts.attempt.user_id]);
  for (const answer of parts.answers) if (answer.graded_by) ids.add(answer.graded_by);
  const rows = await ctx.db
    .selectFrom("users")
    .select(["id", "first_name", "last_name", "email"])
    .where("id", "in", [...ids])
    .execute();
  return new Map(
    rows.map((r) => [r.id, { name: `${r.first_name} ${r.last_name}`.trim(), email: r.email }]),
  );
}

/** A quiz's gradebook for its graders: each learner's standing and attempts. */
export async function quizGradebook(ctx: Ctx, quizId: string) {
  const quiz = await quizById(ctx, quizId);
  if (quiz.deleted_at) throw new AppError("NOT_FOUND", "Quiz not found");
  await courseForGrading(ctx, quiz.course_id);
  const rows = await ctx.db
    .selectFrom("quiz_results as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .selectAll("r")
    .select(["u.first_name", "u.last_name", "u.email"])
    .where("r.quiz_id", "=", quiz.id)
    .orderBy("u.last_name")
    .orderBy("u.first_name")
    .execute();
  const open = await ctx.db
    .selectFrom("quiz_attempts")
    .select(["user_id", "id"])
    .where("quiz_id", "=", quiz.id)
    .where("status", "=", "in-progress")
    .execute();
  return rows.map((r) => ({
    userId: r.user_id,
    enrollmentId: r.enrollment_id,
    name: `${r.first_name} ${r.last_name}`.trim(),
    email: r.email,
    attemptsUsed: r.attempts_used,
    bestScore: numberOrNull(r.best_score),
    bestAttemptId: r.best_attempt_id,
    lastScore: numberOrNull(r.last_score),
    lastAttemptId: r.last_attempt_id,
    passed: r.passed,
    passedAt: r.passed_at?.toISOString() ?? null,
    openAttemptId: open.find((o) => o.user_id === r.user_id)?.id ?? null,
  }));
}
