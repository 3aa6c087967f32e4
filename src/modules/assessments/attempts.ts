import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { recordEvents } from "../events/record.js";
import { assertModuleUnlocked, requireEnrollment } from "../progress/access.js";
import { enrollmentEvent, lockEnrollment } from "../progress/tracking.js";
import {
  closeAttempt,
  elapsedSeconds,
  type IgnoredAnswer,
  isOverdue,
  latestAnswers,
  positionAfter,
  type SavedAnswer,
  withoutLocked,
} from "./attempt-close.js";
import {
  type AttemptParts,
  answersFromJson,
  answersOf,
  attemptWithQuestions,
  type ServedQuestion,
  takeableQuiz,
  windowProblem,
} from "./attempt-reads.js";
import {
  forgetAttempt,
  type OpenAttempt,
  rememberAttempt,
  rememberedAttempt,
  unchangedSince,
} from "./open-attempts.js";
import type { QuestionDefinition } from "./questions.js";
import { drawAttempt, responseProblem } from "./responses.js";
import type { QuizAnswerRow, QuizAttemptRow, QuizRow } from "./schema.js";

/**
 * Taking a quiz (seed 002 §Start Quiz Attempt, §Submit Quiz): eligibility, a stored draw of
 * questions and option orders, autosave, a deadline the server keeps, and submission with
 * automatic grading. Locks are always taken enrollment first, then attempt, so starts, saves,
 * submissions, grading and the worker never deadlock one another.
 */

/**
 * The caller's own attempt, locked for a change: its enrollment first, then the attempt (with
 * its questions), then its quiz. Someone else's attempt is NOT_FOUND.
 */
async function lockOwnAttempt(ctx: Ctx, attemptId: string) {
  if (ctx.actor.kind !== "user") throw new AppError("NOT_FOUND", "Attempt not found");
  const userId = ctx.actor.userId;
  const enrollment = await ctx.db
    .selectFrom("enrollments")
    .selectAll()
    .where("id", "=", (eb) =>
      eb
        .selectFrom("quiz_attempts")
        .select("enrollment_id")
        .where("id", "=", attemptId)
        .where("user_id", "=", userId),
    )
    .forUpdate()
    .executeTakeFirst();
  if (!enrollment) throw new AppError("NOT_FOUND", "Attempt not found");
  const found = await attemptWithQuestions(ctx, attemptId, { lock: true });
  if (!found) throw new AppError("NOT_FOUND", "Attempt not found");
  const { attempt, questions, quiz } = found;
  return { enrollment, attempt, questions, quiz };
}

/**
 * Starts an attempt, or hands back the one already open (a reload, a second tab). Checks the
 * enrollment, the module's unlock rules (prerequisites), the window and the attempt limit while
 * holding the enrollment's lock, so concurrent starts never exceed the limit. Answers with
 * what showing the attempt needs.
 */
export async function startAttempt(
  ctx: Ctx,
  quizId: string,
): Promise<{ parts: AttemptParts; resumed: boolean }> {
  const quiz = await takeableQuiz(ctx, quizId);
  const enrollment = await requireEnrollment(ctx, quiz.course_id);
  await assertModuleUnlocked(ctx, enrollment, quiz.module_id);
  const outcome = await inTransaction(ctx, async (tx) => {
    const current = await lockEnrollment(tx, enrollment.id);
    const now = tx.clock.now();
    const open = await tx.db
      .selectFrom("quiz_attempts")
      .select("id")
      .where("quiz_id", "=", quiz.id)
      .where("user_id", "=", current.user_id)
      .where("status", "=", "in-progress")
      .executeTakeFirst();
    if (open) {
      const { attempt, questions } = (await attemptWithQuestions(tx, open.id, {
        lock: true,
      })) as { attempt: QuizAttemptRow; questions: ServedQuestion[] };
      if (!isOverdue(attempt, now)) {
        const answers = await answersOf(tx, attempt.id);
        return { parts: { quiz, attempt, questions, answers }, resumed: true };
      }
      await closeAttempt(tx, current, quiz, attempt, "time-expired", { questions });
    }
    const closedWindow = windowProblem(quiz, now);
    if (closedWindow) return { error: closedWindow };
    const used = await tx.db
      .selectFrom("quiz_attempts")
      .select((eb) => [eb.fn.countAll<string>().as("n"), eb.fn.max("attempt_number").as("last")])
      .where("quiz_id", "=", quiz.id)
      .where("user_id", "=", current.user_id)
      .executeTakeFirstOrThrow();
    if (quiz.attempt_limit !== null && Number(used.n) >= quiz.attempt_limit)
      return {
        error: new AppError(
          "ATTEMPT_LIMIT_REACHED",
          `You have used all ${quiz.attempt_limit} attempts at this quiz`,
          { details: { attemptLimit: quiz.attempt_limit, attemptsUsed: Number(used.n) } },
        ),
      };
    const pool = await tx.db
      .selectFrom("quiz_questions")
      .select(["id", "definition", "points"])
      .where("quiz_id", "=", quiz.id)
      .orderBy("position")
      .execute();
    if (!pool.length)
      return { error: new AppError("QUIZ_NOT_AVAILABLE", "This quiz has no questions yet") };
    const draw = drawAttempt(
      pool.map((q) => ({ id: q.id, definition: q.definition as QuestionDefinition })),
      {
        randomizeQuestions: quiz.randomize_questions,
        randomizeAnswers: quiz.randomize_answers,
        questionsPerAttempt: quiz.questions_per_attempt,
      },
    );
    const limitEnd = quiz.time_limit_minutes
      ? new Date(now.getTime() + quiz.time_limit_minutes * 60_000)
      : null;
    const deadlines = [limitEnd, quiz.available_until].filter((d): d is Date => !!d);
    const deadline = deadlines.length
      ? new Date(Math.min(...deadlines.map((d) => d.getTime())))
      : null;
    const attempt = await tx.db
      .insertInto("quiz_attempts")
      .values({
        quiz_id: quiz.id,
        enrollment_id: current.id,
        user_id: current.user_id,
        course_id: quiz.course_id,
        attempt_number: Number(used.last ?? 0) + 1,
        started_at: now,
        deadline_at: deadline,
        question_ids: draw.questionIds,
        layout: JSON.stringify(draw.layout),
        ip_address: tx.meta.ip ?? null,
        user_agent: tx.meta.userAgent ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvents(tx, [
      enrollmentEvent(tx, "assessment-started", current, {
        contentId: quiz.id,
        data: {
          quizId: quiz.id,
          attemptId: attempt.id,
          attemptNumber: attempt.attempt_number,
          kind: quiz.kind,
        },
      }),
    ]);
    const questions = pool.filter((q) => draw.questionIds.includes(q.id));
    return { parts: { quiz, attempt, questions, answers: [] }, resumed: false };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome;
}

/**
 * Checks answers against the attempt's questions: NOT_FOUND names the first question that is
 * not the attempt's, VALIDATION_ERROR the first response whose shape does not fit its question.
 */
function checkAnswers(
  attempt: QuizAttemptRow,
  questions: ServedQuestion[],
  answers: SavedAnswer[],
): void {
  for (const [i, a] of answers.entries()) {
    const row = attempt.question_ids.includes(a.questionId)
      ? questions.find((q) => q.id === a.questionId)
      : undefined;
    // The attempt is the bound of the question ids its learner may name (the routes skip the
    // reference check for that reason): any other id answers as the check would.
    if (!row)
      throw new AppError("NOT_FOUND", "Question not found in this attempt", {
        field: `answers.${i}.questionId`,
        details: { kind: "quiz-question", id: a.questionId },
      });
    const problem = a.response && responseProblem(row.definition as QuestionDefinition, a.response);
    if (problem)
      throw new AppError("VALIDATION_ERROR", problem, { field: `answers.${i}.response` });
  }
}

/**
 * Stores answers and moves the attempt on, in one statement; answers the attempt as it is now,
 * its new row version and the answer rows written. With `expected`, nothing is written unless
 * the attempt row is still that version, open and within its deadline, and the quiz and the
 * served questions are at the versions given (undefined then): the statement locks the row, so
 * it waits for a change in progress and then sees it. A review mark is kept when not sent; a
 * null response clears an answer.
 */
async function writeAnswers(
  ctx: Ctx,
  attempt: QuizAttemptRow,
  quiz: QuizRow,
  answers: SavedAnswer[],
  expected?: Pick<OpenAttempt, "version" | "quizVersion" | "served">,
): Promise<{ attempt: QuizAttemptRow; version: string; saved: QuizAnswerRow[] } | undefined> {
  const now = ctx.clock.now();
  const position = positionAfter(attempt, quiz, answers);
  const latest = latestAnswers(answers);
  const { rows } = await sql<QuizAttemptRow & { row_version: string; saved_json: unknown }>`
    with target as (
      select id from quiz_attempts
      where id = ${attempt.id} ${
        expected === undefined
          ? sql``
          : // Still open and in time when the lock is granted (a wait may cross the deadline).
            sql`and status = 'in-progress' and (deadline_at is null or deadline_at >= ${now})
                and ${unchangedSince(expected)}`
      }
      for update
    ),
    input as (
      select * from unnest(
        ${latest.map((a) => a.questionId)}::uuid[],
        ${latest.map((a) => (a.response ? JSON.stringify(a.response) : null))}::jsonb[],
        ${latest.map((a) => a.markedForReview ?? null)}::boolean[]
      ) as i (question_id, response, mark)
    ),
    saved as (
      insert into quiz_answers as qa (attempt_id, quiz_question_id, response, saved_at, marked_for_review)
      select t.id, question_id, response, ${now}, coalesce(mark, false) from input cross join target t
      on conflict (attempt_id, quiz_question_id) do update set
        response = excluded.response, saved_at = excluded.saved_at,
        marked_for_review = coalesce(
          (select mark from input where question_id = excluded.quiz_question_id),
          qa.marked_for_review)
      returning qa.*
    ),
    moved as (
      update quiz_attempts set
        last_saved_at = ${now}, current_position = ${position},
        time_spent_seconds = ${elapsedSeconds(attempt, now)}
      where id = (select id from target)
      returning *, xmin::text as row_version
    )
    select moved.*, (select json_agg(s) from saved s) as saved_json from moved`.execute(ctx.db);
  const row = rows[0];
  if (!row) return undefined;
  const { saved_json, row_version, ...moved } = row;
  return { attempt: moved, version: row_version, saved: answersFromJson(saved_json) };
}

/** Saved answers after a write: those written replace the ones for the same questions. */
function withWritten(before: QuizAnswerRow[], written: QuizAnswerRow[]): QuizAnswerRow[] {
  const replaced = new Set(written.map((a) => a.quiz_question_id));
  return [...before.filter((a) => !replaced.has(a.quiz_question_id)), ...written];
}

/**
 * Autosave: stores answers while the attempt is open. After the deadline nothing more counts:
 * the attempt is closed with what it held and the call answers TIME_LIMIT_EXCEEDED.
 */
export async function saveAnswers(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[],
): Promise<AttemptParts> {
  return (await saveToOpenAttempt(ctx, attemptId, answers)) ?? saveLocked(ctx, attemptId, answers);
}

/**
 * The common case, without a transaction: the answers are checked against the attempt, and one
 * statement writes them only if the attempt row is still the version checked against (and the
 * quiz and its questions too). That holds because every change to an attempt or its answers (a
 * save, a submission, a close, grading) also updates the attempt row. The attempt comes from
 * memory when this process saved it last (open-attempts.ts: one statement in all), else it is
 * read with its quiz and answers first (two). An attempt that is not open or is past its
 * deadline, or that changed in between, is left to the locked way (undefined).
 */
async function saveToOpenAttempt(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[],
): Promise<AttemptParts | undefined> {
  if (ctx.actor.kind !== "user") return undefined;
  const now = ctx.clock.now();
  const remembered = rememberedAttempt(ctx.db, attemptId);
  // Someone else's request leaves the owner's memory alone (and is refused below).
  if (remembered && remembered.attempt.user_id === ctx.actor.userId) {
    if (!isOverdue(remembered.attempt, now) && answersFit(remembered, answers)) {
      const parts = await saveOver(ctx, remembered, answers);
      if (parts) return parts;
    }
    forgetAttempt(ctx.db, attemptId);
  }
  // Not remembered, or memory was out of date: read the attempt as it is.
  const found = await attemptWithQuestions(ctx, attemptId, { answers: true });
  if (!found || found.attempt.user_id !== ctx.actor.userId)
    throw new AppError("NOT_FOUND", "Attempt not found");
  if (found.attempt.status !== "in-progress" || isOverdue(found.attempt, now)) return undefined;
  checkAnswers(found.attempt, found.questions, answers);
  return saveOver(ctx, { ...found, answers: found.answers ?? [] }, answers);
}

/**
 * Whether answers pass the checks against a remembered attempt (their shapes, and questions
 * still open without back navigation). A refusal is not trusted from memory (a question or the
 * quiz may have changed since): the attempt is read again and checked as it is.
 */
function answersFit(remembered: OpenAttempt, answers: SavedAnswer[]): boolean {
  try {
    checkAnswers(remembered.attempt, remembered.questions, answers);
    positionAfter(remembered.attempt, remembered.quiz, answers);
    return true;
  } catch {
    return false;
  }
}

/** Writes answers over an attempt as checked; remembers the result, or forgets a stale one. */
async function saveOver(
  ctx: Ctx,
  state: OpenAttempt,
  answers: SavedAnswer[],
): Promise<AttemptParts | undefined> {
  const { attempt, quiz, questions } = state;
  const written = await writeAnswers(ctx, attempt, quiz, answers, state);
  if (!written) {
    forgetAttempt(ctx.db, attempt.id);
    return undefined;
  }
  const parts = {
    quiz,
    attempt: written.attempt,
    questions,
    answers: withWritten(state.answers, written.saved),
  };
  rememberAttempt(ctx.db, { ...state, ...parts, version: written.version });
  return parts;
}

/** Autosave holding the enrollment's and the attempt's locks: closes an overdue attempt. */
async function saveLocked(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[],
): Promise<AttemptParts> {
  const outcome = await inTransaction(ctx, async (tx) => {
    const { enrollment, attempt, questions, quiz } = await lockOwnAttempt(tx, attemptId);
    checkAnswers(attempt, questions, answers);
    if (attempt.status !== "in-progress")
      return {
        error: new AppError("ATTEMPT_NOT_IN_PROGRESS", "This attempt is already submitted", {
          details: { status: attempt.status },
        }),
      };
    if (isOverdue(attempt, tx.clock.now())) {
      await closeAttempt(tx, enrollment, quiz, attempt, "time-expired", { questions });
      return { error: timeUp(attempt) };
    }
    const written = await writeAnswers(tx, attempt, quiz, answers);
    if (!written) throw new Error(`attempt ${attempt.id} vanished under its lock`);
    return {
      parts: { quiz, attempt: written.attempt, questions, answers: await answersOf(tx, attemptId) },
    };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome.parts;
}

function timeUp(attempt: QuizAttemptRow): AppError {
  return new AppError(
    "TIME_LIMIT_EXCEEDED",
    "Time is up: answers given after the deadline do not count, and the attempt was submitted with the answers saved in time",
    { details: { deadlineAt: attempt.deadline_at?.toISOString(), attemptId: attempt.id } },
  );
}

/**
 * Submits an attempt, with any last answers. A second submit (a double click, a retry) changes
 * nothing and returns the attempt as it is. Past the deadline, the last answers are not taken:
 * the attempt is graded on what was saved in time. `lateAnswersIgnored` is true whenever answers
 * sent with this submit were left out because the deadline had passed: the attempt is overdue
 * now, or it was already closed when its time ran out (by the worker or an autosave). A repeat
 * of a submit that was in time is not late: its answers were taken the first time.
 *
 * Without back navigation, answers to questions already closed do not stop the submit (as they
 * stop an autosave): they are left out and the rest is submitted. `ignoredAnswers` lists every
 * answer sent that was not taken, with the reason.
 */
export async function submitAttempt(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[] = [],
): Promise<{
  parts: AttemptParts;
  alreadySubmitted: boolean;
  lateAnswersIgnored: boolean;
  ignoredAnswers: IgnoredAnswer[];
}> {
  forgetAttempt(ctx.db, attemptId);
  return inTransaction(ctx, async (tx) => {
    const { enrollment, attempt, questions, quiz } = await lockOwnAttempt(tx, attemptId);
    checkAnswers(attempt, questions, answers);
    const all = (reason: IgnoredAnswer["reason"]) =>
      answers.map((a, index) => ({ index, questionId: a.questionId, reason }));
    if (attempt.status !== "in-progress") {
      const saved = await answersOf(tx, attempt.id);
      const late = attempt.end_reason === "time-expired";
      return {
        parts: { quiz, attempt, questions, answers: saved },
        alreadySubmitted: true,
        lateAnswersIgnored: late && answers.length > 0,
        ignoredAnswers: all(late ? "after-deadline" : "already-submitted"),
      };
    }
    const overdue = isOverdue(attempt, tx.clock.now());
    const { taken, ignored } = overdue
      ? { taken: [], ignored: all("after-deadline") }
      : withoutLocked(attempt, quiz, answers);
    const closed = await closeAttempt(
      tx,
      enrollment,
      quiz,
      attempt,
      overdue ? "time-expired" : "submitted",
      {
        questions,
        last: overdue
          ? undefined
          : { answers: taken, position: positionAfter(attempt, quiz, taken) },
      },
    );
    return {
      parts: { quiz, questions, ...closed },
      alreadySubmitted: false,
      lateAnswersIgnored: overdue && answers.length > 0,
      ignoredAnswers: ignored,
    };
  });
}
