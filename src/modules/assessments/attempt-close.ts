import { sql } from "kysely";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { enqueueJob } from "../../platform/jobs/queue.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { enrollmentEvent, lockEnrollment } from "../progress/tracking.js";
import {
  answersFromJson,
  answersOf,
  attemptsFromJson,
  questionsOf,
  quizById,
  type ServedQuestion,
} from "./attempt-reads.js";
import { gradeAnswer } from "./grading.js";
import { type QuestionDefinition, toGradable } from "./questions.js";
import type { AnswerResponse } from "./responses.js";
import { afterGraded, attemptTotals, refreshStanding } from "./results.js";
import type { AttemptEndReason, QuizAnswerRow, QuizAttemptRow, QuizRow } from "./schema.js";

/**
 * The end of an attempt: grading every served question at submission, by the deadline or when
 * abandoned, and the rules about answers that closing and saving share (positions, the last
 * answer wins, time spent, deadlines).
 */

export const AI_GRADE_JOB = "assessments.ai-grade";

async function lockAttempt(ctx: Ctx, id: string): Promise<QuizAttemptRow> {
  return ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function isOverdue(attempt: QuizAttemptRow, now: Date): boolean {
  return !!attempt.deadline_at && now > attempt.deadline_at;
}

export interface SavedAnswer {
  questionId: string;
  response: AnswerResponse | null;
  markedForReview?: boolean;
}

/**
 * Where the attempt stands after these answers (the furthest question answered); without back
 * navigation, answers to questions before the current one are QUESTION_LOCKED.
 */
export function positionAfter(
  attempt: QuizAttemptRow,
  quiz: QuizRow,
  answers: SavedAnswer[],
): number {
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
  return position;
}

/** Why a submit left an answer out. */
export type IgnoredReason = "question-locked" | "after-deadline" | "already-submitted";

export interface IgnoredAnswer {
  /** Where the answer was in the list sent. */
  index: number;
  questionId: string;
  reason: IgnoredReason;
}

/**
 * A submit's answers split into those it takes and those to questions already closed. With back
 * navigation every answer is taken; without it, an answer to a question before the furthest one
 * reached so far (the attempt's position, or an earlier answer in the same list) is left out, as
 * positionAfter would refuse it.
 */
export function withoutLocked(
  attempt: QuizAttemptRow,
  quiz: QuizRow,
  answers: SavedAnswer[],
): { taken: SavedAnswer[]; ignored: IgnoredAnswer[] } {
  if (quiz.allow_back_navigation) return { taken: answers, ignored: [] };
  let position = attempt.current_position;
  const taken: SavedAnswer[] = [];
  const ignored: IgnoredAnswer[] = [];
  for (const [index, a] of answers.entries()) {
    const at = attempt.question_ids.indexOf(a.questionId) + 1;
    if (at < position) {
      ignored.push({ index, questionId: a.questionId, reason: "question-locked" });
      continue;
    }
    taken.push(a);
    position = at;
  }
  return { taken, ignored };
}

/** The last answer sent for each question wins. */
export function latestAnswers(answers: SavedAnswer[]): SavedAnswer[] {
  return [...new Map(answers.map((a) => [a.questionId, a])).values()];
}

export function elapsedSeconds(attempt: QuizAttemptRow, now: Date): number {
  const end = attempt.deadline_at && attempt.deadline_at < now ? attempt.deadline_at : now;
  return Math.max(0, Math.floor((end.getTime() - attempt.started_at.getTime()) / 1000));
}

/**
 * Closes an open attempt: grades every served question from its answer (the last answers sent
 * with a submission, else the saved one; unanswered ones count as such), stores answers and
 * grades in one statement and the attempt's totals in another, and — when nothing waits for a
 * person — applies the result. Open answers with a rubric go to the AI grader (when one is
 * configured) through a job.
 */
export async function closeAttempt(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  quiz: QuizRow,
  attempt: QuizAttemptRow,
  reason: AttemptEndReason,
  options: {
    questions?: ServedQuestion[];
    /** Answers sent with a submission, and where they leave the attempt (positionAfter). */
    last?: { answers: SavedAnswer[]; position: number };
  } = {},
): Promise<{ attempt: QuizAttemptRow; answers: QuizAnswerRow[]; history: QuizAttemptRow[] }> {
  const now = ctx.clock.now();
  const last = options.last?.answers ?? [];
  const sent = new Map(latestAnswers(last).map((a) => [a.questionId, a]));
  const questions = options.questions ?? (await questionsOf(ctx, attempt.question_ids));
  const saved = await answersOf(ctx, attempt.id);
  let aiWork = false;
  const rows = attempt.question_ids.flatMap((id) => {
    const row = questions.find((q) => q.id === id);
    if (!row) return [];
    const def = row.definition as QuestionDefinition;
    const before = saved.find((a) => a.quiz_question_id === id);
    const fresh = sent.get(id);
    const response = fresh ? fresh.response : (before?.response as AnswerResponse | null);
    const grade = gradeAnswer(toGradable(def), response ?? null);
    if (grade.outcome === "needs-grading" && def.type === "essay" && def.rubric.length)
      aiWork = true;
    return [
      {
        id,
        response: response ? JSON.stringify(response) : null,
        savedAt: fresh ? now.toISOString() : (before?.saved_at?.toISOString() ?? null),
        marked: fresh?.markedForReview ?? before?.marked_for_review ?? false,
        grade,
      },
    ];
  });
  // The attempt's totals come from the rows as they will be stored: the grades of every served
  // question (or, with none, the answers saved).
  const totalled = rows.length
    ? rows.map((r) => ({
        outcome: r.grade.outcome,
        points: r.grade.points,
        max_points: r.grade.maxPoints,
        flagged_for_review:
          saved.find((a) => a.quiz_question_id === r.id)?.flagged_for_review ?? false,
      }))
    : saved;
  const set: Record<string, unknown> = {
    ...(options.last && last.length
      ? { last_saved_at: now, current_position: options.last.position }
      : {}),
    end_reason: reason,
    submitted_at: now,
    time_spent_seconds: elapsedSeconds(attempt, now),
    ...attemptTotals(totalled, quiz, { graded_at: null }, now),
  };
  // One statement: the answers sent now and the grades of every served question, the attempt
  // closed, and the learner's other attempts at the quiz (unchanged: the enrollment is locked).
  const { rows: written } = await sql<
    QuizAttemptRow & { answers_json: unknown; others_json: unknown }
  >`
    with ${
      rows.length
        ? sql`answers as (
          insert into quiz_answers (attempt_id, quiz_question_id, response, saved_at,
                                    marked_for_review, outcome, points, max_points)
          select ${attempt.id}, * from unnest(
            ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.response)}::jsonb[],
            ${rows.map((r) => r.savedAt)}::timestamptz[], ${rows.map((r) => r.marked)}::boolean[],
            ${rows.map((r) => r.grade.outcome)}::text[], ${rows.map((r) => r.grade.points)}::numeric[],
            ${rows.map((r) => r.grade.maxPoints)}::numeric[])
          on conflict (attempt_id, quiz_question_id) do update set
            response = excluded.response, saved_at = excluded.saved_at,
            marked_for_review = excluded.marked_for_review, outcome = excluded.outcome,
            points = excluded.points, max_points = excluded.max_points
          returning *
        ),`
        : sql``
    }
    closed as (
      update quiz_attempts set ${sql.join(
        Object.entries(set).map(([column, value]) => sql`${sql.ref(column)} = ${value}`),
      )}
      where id = ${attempt.id}
      returning *
    )
    select closed.*,
      ${rows.length ? sql`(select json_agg(a) from answers a)` : sql`null`} as answers_json,
      (select json_agg(o) from quiz_attempts o
       where o.enrollment_id = ${enrollment.id} and o.quiz_id = ${quiz.id}
         and o.id <> ${attempt.id}) as others_json
    from closed`.execute(ctx.db);
  const row = written[0];
  if (!row) throw new Error(`attempt ${attempt.id} vanished under its lock`);
  const { answers_json, others_json, ...closed } = row;
  const answers = rows.length ? answersFromJson(answers_json) : saved;
  const history = [...attemptsFromJson(others_json), closed].sort(
    (a, b) => a.attempt_number - b.attempt_number,
  );
  const submitted = enrollmentEvent(ctx, "assessment-submitted", enrollment, {
    contentId: quiz.id,
    data: {
      quizId: quiz.id,
      attemptId: attempt.id,
      attemptNumber: attempt.attempt_number,
      endReason: reason,
      pendingManual: closed.pending_manual,
    },
  });
  if (closed.status === "graded") {
    const { attempts } = await afterGraded(ctx, enrollment, quiz, closed, {
      tellLearner: reason !== "submitted",
      record: [submitted],
      history,
    });
    return { attempt: closed, answers, history: attempts };
  }
  // Waiting for a grader: the gradebook shows the attempt as used.
  const { attempts } = await refreshStanding(ctx, enrollment, quiz, {
    attempts: history,
    record: [submitted],
  });
  if (aiWork && ctx.grader)
    await enqueueJob(ctx.db, AI_GRADE_JOB, { attemptId: attempt.id }, { runAt: now });
  return { attempt: closed, answers, history: attempts };
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
