import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { visibleCourse } from "../catalog/policy.js";
import type { QuizAnswerRow, QuizAttemptRow, QuizQuestionRow, QuizRow } from "./schema.js";

/**
 * Reading quizzes and attempts for taking, showing and grading them: a quiz learners may take,
 * an attempt with the questions it serves (one query), its saved answers, a learner's attempts.
 */

/** A quiz learners may take: published, not deleted, in a published module of a visible course. */
export async function takeableQuiz(ctx: Ctx, quizId: string): Promise<QuizRow> {
  const quiz = await ctx.db
    .selectFrom("quizzes as q")
    .innerJoin("modules as m", "m.id", "q.module_id")
    .selectAll("q")
    .where("q.id", "=", quizId)
    .where("q.deleted_at", "is", null)
    .where("q.is_published", "=", true)
    .where("m.is_published", "=", true)
    .executeTakeFirst();
  if (!quiz) throw new AppError("NOT_FOUND", "Quiz not found");
  await visibleCourse(ctx, quiz.course_id).catch(() => {
    throw new AppError("NOT_FOUND", "Quiz not found");
  });
  return quiz;
}

export async function quizById(ctx: Ctx, quizId: string): Promise<QuizRow> {
  return ctx.db
    .selectFrom("quizzes")
    .selectAll()
    .where("id", "=", quizId)
    .executeTakeFirstOrThrow();
}

/** Why the quiz is not open now (its window), or null. */
export function windowProblem(quiz: QuizRow, now: Date): AppError | null {
  if (quiz.available_from && now < quiz.available_from)
    return new AppError("QUIZ_NOT_AVAILABLE", "This quiz has not opened yet", {
      details: { availableFrom: quiz.available_from.toISOString() },
    });
  if (quiz.available_until && now >= quiz.available_until)
    return new AppError("QUIZ_NOT_AVAILABLE", "This quiz has closed", {
      details: { availableUntil: quiz.available_until.toISOString() },
    });
  return null;
}

/** A learner's attempts at a quiz, oldest first. */
export async function attemptsOf(ctx: Ctx, quizId: string, userId: string) {
  return ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("quiz_id", "=", quizId)
    .where("user_id", "=", userId)
    .orderBy("attempt_number")
    .execute();
}

export async function questionsOf(ctx: Ctx, ids: string[]): Promise<QuizQuestionRow[]> {
  if (!ids.length) return [];
  return ctx.db.selectFrom("quiz_questions").selectAll().where("id", "in", ids).execute();
}

/** What showing and grading an attempt need of a question it serves. */
export type ServedQuestion = Pick<QuizQuestionRow, "id" | "definition" | "points">;

/** The questions an attempt serves, read with the attempt row itself. */
const servedQuestions = sql<ServedQuestion[]>`coalesce((
  select json_agg(json_build_object('id', q.id, 'definition', q.definition, 'points', q.points))
  from quiz_questions q where q.id = any(a.question_ids::uuid[])), '[]')`;

/** An attempt with the questions it serves, in one query (row-locked when `lock`). */
export async function attemptWithQuestions(
  ctx: Ctx,
  id: string,
  lock = false,
): Promise<{ attempt: QuizAttemptRow; questions: ServedQuestion[] } | undefined> {
  let query = ctx.db
    .selectFrom("quiz_attempts as a")
    .selectAll("a")
    .select(servedQuestions.as("served_questions"))
    .where("a.id", "=", id);
  if (lock) query = query.forUpdate("a");
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { served_questions, ...attempt } = row;
  return { attempt, questions: served_questions };
}

/** An attempt and everything showing it needs, as a change left it. */
export interface AttemptParts {
  quiz: QuizRow;
  attempt: QuizAttemptRow;
  questions: ServedQuestion[];
  answers: QuizAnswerRow[];
  /** The learner's attempts at the quiz, when known (a closed attempt's view needs them). */
  history?: QuizAttemptRow[];
}

/** An attempt's saved answers. */
export async function answersOf(ctx: Ctx, attemptId: string): Promise<QuizAnswerRow[]> {
  return ctx.db
    .selectFrom("quiz_answers")
    .selectAll()
    .where("attempt_id", "=", attemptId)
    .execute();
}
