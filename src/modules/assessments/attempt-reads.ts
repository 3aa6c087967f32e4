import { sql } from "kysely";
import { type DateColumnSet, fromJson, manyFromJson } from "../../db/json-rows.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { visibleCourse } from "../catalog/policy.js";
import {
  type QuestionVersion,
  questionsAt,
  type ServedQuestion,
  servedVersionsJson,
} from "./question-cache.js";
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

export type { ServedQuestion };

const QUIZ_DATES = {
  available_from: true,
  available_until: true,
  created_at: true,
  updated_at: true,
  deleted_at: true,
} satisfies DateColumnSet<QuizRow>;

const ANSWER_DATES = {
  saved_at: true,
  graded_at: true,
  created_at: true,
  updated_at: true,
} satisfies DateColumnSet<QuizAnswerRow>;

const ATTEMPT_DATES = {
  started_at: true,
  deadline_at: true,
  last_saved_at: true,
  submitted_at: true,
  graded_at: true,
  created_at: true,
  updated_at: true,
} satisfies DateColumnSet<QuizAttemptRow>;

/** Attempts a statement answered as `json_agg` of whole rows. */
export function attemptsFromJson(value: unknown): QuizAttemptRow[] {
  return manyFromJson<QuizAttemptRow>(value, ATTEMPT_DATES);
}

/** An attempt's saved answers as one JSON value, for statements that read the attempt `a`. */
export const savedAnswersJson = sql<unknown>`(
  select json_agg(qa) from quiz_answers qa where qa.attempt_id = a.id)`;

/** Saved answers as `savedAnswersJson` (or any `json_agg` of answer rows) answered them. */
export function answersFromJson(value: unknown): QuizAnswerRow[] {
  return manyFromJson<QuizAnswerRow>(value, ANSWER_DATES);
}

/**
 * An attempt with its quiz and the questions it serves, in one statement (the questions'
 * definitions come from memory while unchanged: question-cache.ts). `lock` row-locks
 * the attempt (the caller holds its enrollment's lock already). `answers` reads the saved
 * answers in the same statement; a locked read leaves them out, because a statement that
 * waited for the lock would show answers as they were before the wait.
 */
export async function attemptWithQuestions(
  ctx: Ctx,
  id: string,
  options: { lock?: boolean; answers?: boolean } = {},
): Promise<
  | {
      attempt: QuizAttemptRow;
      /** The attempt row's version (`xmin`): any change to it or its answers moves it on. */
      version: string;
      questions: ServedQuestion[];
      /** The row versions of the questions, as `questions` were taken at. */
      served: QuestionVersion[];
      quiz: QuizRow;
      /** The quiz row's version (`xmin`). */
      quizVersion: string;
      answers?: QuizAnswerRow[];
    }
  | undefined
> {
  let query = ctx.db
    .selectFrom("quiz_attempts as a")
    .innerJoin("quizzes as q", "q.id", "a.quiz_id")
    .selectAll("a")
    .select([
      sql<string>`a.xmin::text`.as("row_version"),
      sql<string>`q.xmin::text`.as("quiz_version"),
      servedVersionsJson.as("served_versions"),
      sql<unknown>`row_to_json(q)`.as("quiz_json"),
      (options.answers && !options.lock ? savedAnswersJson : sql<unknown>`null`).as("answers_json"),
    ])
    .where("a.id", "=", id);
  if (options.lock) query = query.forUpdate("a");
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { row_version, quiz_version, served_versions, quiz_json, answers_json, ...attempt } = row;
  return {
    attempt,
    version: row_version,
    questions: await questionsAt(ctx, served_versions),
    served: served_versions,
    quiz: fromJson<QuizRow>(quiz_json, QUIZ_DATES),
    quizVersion: quiz_version,
    ...(options.answers && !options.lock ? { answers: answersFromJson(answers_json) } : {}),
  };
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
