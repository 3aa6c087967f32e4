import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import { visibleCourse } from "../catalog/policy.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { recordEvents } from "../events/record.js";
import { assertModuleUnlocked, requireEnrollment } from "../progress/access.js";
import { enrollmentEvent, lockEnrollment } from "../progress/tracking.js";
import { gradeAnswer } from "./grading.js";
import { type QuestionDefinition, toGradable } from "./questions.js";
import { type AnswerResponse, drawAttempt, responseProblem } from "./responses.js";
import { afterGraded, refreshStanding, retotalAttempt } from "./results.js";
import type { AttemptEndReason, QuizAttemptRow, QuizQuestionRow, QuizRow } from "./schema.js";

/**
 * Taking a quiz (seed 002 §Start Quiz Attempt, §Submit Quiz): eligibility, a stored draw of
 * questions and option orders, autosave, a deadline the server keeps, and submission with
 * automatic grading. Locks are always taken enrollment first, then attempt, so starts, saves,
 * submissions, grading and the worker never deadlock one another.
 */

export const AI_GRADE_JOB = "assessments.ai-grade";

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

async function lockAttempt(ctx: Ctx, id: string): Promise<QuizAttemptRow> {
  return ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

function isOverdue(attempt: QuizAttemptRow, now: Date): boolean {
  return !!attempt.deadline_at && now > attempt.deadline_at;
}

/**
 * Starts an attempt, or hands back the one already open (a reload, a second tab). Checks the
 * enrollment, the module's unlock rules (prerequisites), the window and the attempt limit while
 * holding the enrollment's lock, so concurrent starts never exceed the limit.
 */
export async function startAttempt(
  ctx: Ctx,
  quizId: string,
): Promise<{ attempt: QuizAttemptRow; resumed: boolean }> {
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
      const attempt = await lockAttempt(tx, open.id);
      if (!isOverdue(attempt, now)) return { attempt, resumed: true };
      await closeAttempt(tx, current, quiz, attempt, "time-expired");
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
    const questions = await tx.db
      .selectFrom("quiz_questions")
      .select(["id", "definition"])
      .where("quiz_id", "=", quiz.id)
      .orderBy("position")
      .execute();
    if (!questions.length)
      return { error: new AppError("QUIZ_NOT_AVAILABLE", "This quiz has no questions yet") };
    const draw = drawAttempt(
      questions.map((q) => ({ id: q.id, definition: q.definition as QuestionDefinition })),
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
    return { attempt, resumed: false };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome;
}

/** The learner's own attempt, or NOT_FOUND (others' attempts are not theirs to see). */
export async function ownAttempt(ctx: Ctx, attemptId: string): Promise<QuizAttemptRow> {
  const attempt = await ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("id", "=", attemptId)
    .executeTakeFirst();
  if (!attempt || ctx.actor.kind !== "user" || attempt.user_id !== ctx.actor.userId)
    throw new AppError("NOT_FOUND", "Attempt not found");
  return attempt;
}

export interface SavedAnswer {
  questionId: string;
  response: AnswerResponse | null;
  markedForReview?: boolean;
}

/** Checks answers against the attempt's questions; VALIDATION_ERROR names the first that is off. */
function checkAnswers(
  attempt: QuizAttemptRow,
  questions: QuizQuestionRow[],
  answers: SavedAnswer[],
): void {
  for (const [i, a] of answers.entries()) {
    const row = attempt.question_ids.includes(a.questionId)
      ? questions.find((q) => q.id === a.questionId)
      : undefined;
    if (!row)
      throw new AppError("VALIDATION_ERROR", "This question is not part of the attempt", {
        field: `answers.${i}.questionId`,
      });
    const problem = a.response && responseProblem(row.definition as QuestionDefinition, a.response);
    if (problem)
      throw new AppError("VALIDATION_ERROR", problem, { field: `answers.${i}.response` });
  }
}

async function writeAnswers(
  ctx: Ctx,
  attempt: QuizAttemptRow,
  quiz: QuizRow,
  answers: SavedAnswer[],
): Promise<QuizAttemptRow> {
  const now = ctx.clock.now();
  let position = attempt.current_position;
  for (const [i, a] of answers.entries()) {
    const at = attempt.question_ids.indexOf(a.questionId) + 1;
    if (!quiz.allow_back_navigation && at < position)
      throw new AppError(
        "QUESTION_LOCKED",
        "This quiz does not go back: earlier questions cannot be changed",
        { field: `answers.${i}.questionId`, details: { currentPosition: position } },
      );
    position = Math.max(position, at);
  }
  // The last answer to a question wins; one statement per kind of row (with or without a
  // review mark, which is kept when not sent).
  const latest = [...new Map(answers.map((a) => [a.questionId, a])).values()];
  for (const marked of [true, false]) {
    const rows = latest.filter((a) => (a.markedForReview !== undefined) === marked);
    if (!rows.length) continue;
    await ctx.db
      .insertInto("quiz_answers")
      .values(
        rows.map((a) => ({
          attempt_id: attempt.id,
          quiz_question_id: a.questionId,
          response: a.response ? JSON.stringify(a.response) : null,
          saved_at: now,
          marked_for_review: a.markedForReview ?? false,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["attempt_id", "quiz_question_id"]).doUpdateSet((eb) => ({
          response: eb.ref("excluded.response"),
          saved_at: eb.ref("excluded.saved_at"),
          ...(marked ? { marked_for_review: eb.ref("excluded.marked_for_review") } : {}),
        })),
      )
      .execute();
  }
  return ctx.db
    .updateTable("quiz_attempts")
    .set({
      last_saved_at: now,
      current_position: position,
      time_spent_seconds: elapsedSeconds(attempt, now),
    })
    .where("id", "=", attempt.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

function elapsedSeconds(attempt: QuizAttemptRow, now: Date): number {
  const end = attempt.deadline_at && attempt.deadline_at < now ? attempt.deadline_at : now;
  return Math.max(0, Math.floor((end.getTime() - attempt.started_at.getTime()) / 1000));
}

async function lockOwn(ctx: Ctx, attempt: QuizAttemptRow) {
  const enrollment = await lockEnrollment(ctx, attempt.enrollment_id);
  return { enrollment, attempt: await lockAttempt(ctx, attempt.id) };
}

/**
 * Autosave: stores answers while the attempt is open. After the deadline nothing more counts:
 * the attempt is closed with what it held and the call answers TIME_LIMIT_EXCEEDED.
 */
export async function saveAnswers(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[],
): Promise<QuizAttemptRow> {
  const mine = await ownAttempt(ctx, attemptId);
  const quiz = await quizById(ctx, mine.quiz_id);
  const questions = await questionsOf(ctx, mine.question_ids);
  checkAnswers(mine, questions, answers);
  const outcome = await inTransaction(ctx, async (tx) => {
    const { enrollment, attempt } = await lockOwn(tx, mine);
    if (attempt.status !== "in-progress")
      return {
        error: new AppError("ATTEMPT_NOT_IN_PROGRESS", "This attempt is already submitted", {
          details: { status: attempt.status },
        }),
      };
    if (isOverdue(attempt, tx.clock.now())) {
      await closeAttempt(tx, enrollment, quiz, attempt, "time-expired");
      return { error: timeUp(attempt) };
    }
    return { attempt: await writeAnswers(tx, attempt, quiz, answers) };
  });
  if ("error" in outcome) throw outcome.error;
  return outcome.attempt;
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
 * the attempt is graded on what was saved in time.
 */
export async function submitAttempt(
  ctx: Ctx,
  attemptId: string,
  answers: SavedAnswer[] = [],
): Promise<{ attempt: QuizAttemptRow; alreadySubmitted: boolean; lateAnswersIgnored: boolean }> {
  const mine = await ownAttempt(ctx, attemptId);
  const quiz = await quizById(ctx, mine.quiz_id);
  const questions = await questionsOf(ctx, mine.question_ids);
  checkAnswers(mine, questions, answers);
  return inTransaction(ctx, async (tx) => {
    const { enrollment, attempt } = await lockOwn(tx, mine);
    if (attempt.status !== "in-progress")
      return { attempt, alreadySubmitted: true, lateAnswersIgnored: false };
    const overdue = isOverdue(attempt, tx.clock.now());
    const saved =
      !overdue && answers.length ? await writeAnswers(tx, attempt, quiz, answers) : attempt;
    const closed = await closeAttempt(
      tx,
      enrollment,
      quiz,
      saved,
      overdue ? "time-expired" : "submitted",
    );
    return {
      attempt: closed,
      alreadySubmitted: false,
      lateAnswersIgnored: overdue && answers.length > 0,
    };
  });
}

/**
 * Closes an open attempt: grades every served question from its saved answer (unanswered ones
 * count as such), totals it, and — when nothing waits for a person — applies the result. Open
 * answers with a rubric go to the AI grader (when one is configured) through a job.
 */
export async function closeAttempt(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  quiz: QuizRow,
  attempt: QuizAttemptRow,
  reason: AttemptEndReason,
): Promise<QuizAttemptRow> {
  const now = ctx.clock.now();
  const questions = await questionsOf(ctx, attempt.question_ids);
  const saved = await ctx.db
    .selectFrom("quiz_answers")
    .selectAll()
    .where("attempt_id", "=", attempt.id)
    .execute();
  let aiWork = false;
  const graded = attempt.question_ids.flatMap((id) => {
    const row = questions.find((q) => q.id === id);
    if (!row) return [];
    const def = row.definition as QuestionDefinition;
    const answer = saved.find((a) => a.quiz_question_id === id);
    const grade = gradeAnswer(toGradable(def), answer?.response as AnswerResponse | null);
    if (grade.outcome === "needs-grading" && def.type === "essay" && def.rubric.length)
      aiWork = true;
    return [
      {
        attempt_id: attempt.id,
        quiz_question_id: id,
        outcome: grade.outcome,
        points: grade.points,
        max_points: grade.maxPoints,
      },
    ];
  });
  // One statement for the whole attempt: answered questions are updated, the rest inserted.
  if (graded.length)
    await ctx.db
      .insertInto("quiz_answers")
      .values(graded)
      .onConflict((oc) =>
        oc.columns(["attempt_id", "quiz_question_id"]).doUpdateSet((eb) => ({
          outcome: eb.ref("excluded.outcome"),
          points: eb.ref("excluded.points"),
          max_points: eb.ref("excluded.max_points"),
        })),
      )
      .execute();
  await ctx.db
    .updateTable("quiz_attempts")
    .set({
      end_reason: reason,
      submitted_at: now,
      time_spent_seconds: elapsedSeconds(attempt, now),
    })
    .where("id", "=", attempt.id)
    .execute();
  const closed = await retotalAttempt(ctx, { ...attempt, graded_at: null }, quiz);
  await recordEvents(ctx, [
    enrollmentEvent(ctx, "assessment-submitted", enrollment, {
      contentId: quiz.id,
      data: {
        quizId: quiz.id,
        attemptId: attempt.id,
        attemptNumber: attempt.attempt_number,
        endReason: reason,
        pendingManual: closed.pending_manual,
      },
    }),
  ]);
  if (closed.status === "graded") {
    await afterGraded(ctx, enrollment, quiz, closed, { tellLearner: reason !== "submitted" });
  } else {
    // Waiting for a grader: the gradebook shows the attempt as used.
    await refreshStanding(ctx, enrollment, quiz);
    if (aiWork && ctx.grader)
      await enqueueJob(ctx.db, AI_GRADE_JOB, { attemptId: attempt.id }, { runAt: now });
  }
  return closed;
}

/**
 * The worker's sweep: attempts past their deadline, and attempts without one left untouched for
 * `abandonAfterHours`, are closed with the answers they hold.
 */
export async function closeOverdueAttempts(ctx: Ctx, limit = 200): Promise<number> {
  const now = ctx.clock.now();
  const idle = new Date(now.getTime() - ctx.config.assessments.abandonAfterHours * 3_600_000);
  const due = await ctx.db
    .selectFrom("quiz_attempts")
    .select(["id", "enrollment_id", "quiz_id"])
    .where("status", "=", "in-progress")
    .where((eb) =>
      eb.or([
        eb("deadline_at", "<", now),
        eb.and([
          eb("deadline_at", "is", null),
          eb(sql`coalesce(last_saved_at, started_at)`, "<", idle),
        ]),
      ]),
    )
    .orderBy("started_at")
    .limit(limit)
    .execute();
  let closed = 0;
  for (const row of due) {
    const quiz = await quizById(ctx, row.quiz_id);
    const done = await inTransaction(ctx, async (tx) => {
      const enrollment = await lockEnrollment(tx, row.enrollment_id);
      const attempt = await lockAttempt(tx, row.id);
      if (attempt.status !== "in-progress") return false;
      await closeAttempt(
        tx,
        enrollment,
        quiz,
        attempt,
        attempt.deadline_at ? "time-expired" : "abandoned",
      );
      return true;
    });
    if (done) closed += 1;
  }
  return closed;
}
