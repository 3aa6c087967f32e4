import { sql } from "kysely";
import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { type EventInput, recordingEvents, refuseUnknownEvents } from "../events/record.js";
import { notify } from "../notifications/notify.js";
import { enrollmentEvent, settleProgress } from "../progress/tracking.js";
import { refreshLearningGain } from "./gain-store.js";
import { forDisplay, type Grade, scoreAttempt } from "./grading.js";
import type { QuizAnswerRow, QuizAttemptRow, QuizKind, QuizRow } from "./schema.js";

/**
 * What a graded attempt changes: the attempt's totals, the learner's standing on the quiz, the
 * module and course progress, a certification, learning gain, and the learner's inbox. Everything
 * runs in the caller's transaction, which holds the enrollment's lock and then the attempt's.
 */

/**
 * Kinds nobody passes or fails: taking them is what counts towards completion (and reports leave
 * them out of pass and fail rates).
 */
export const TAKEN_COUNTS: readonly QuizKind[] = [
  "survey",
  "practice",
  "pre-course",
  "self-assessment",
];

export function countsWhenTaken(kind: QuizKind): boolean {
  return TAKEN_COUNTS.includes(kind);
}

type TotalledAnswer = Pick<
  QuizAnswerRow,
  "outcome" | "points" | "max_points" | "flagged_for_review"
>;

/**
 * An attempt's totals from its answer rows, as columns to store: graded once nothing waits for
 * a person (keeping the first grading time), passed against the quiz's passing score. The
 * points are the exact sum and the pass is decided on the exact percentage; only the stored
 * score (a percentage with two decimals) is rounded, for display.
 */
export function attemptTotals(
  rows: TotalledAnswer[],
  quiz: Pick<QuizRow, "passing_score">,
  attempt: Pick<QuizAttemptRow, "graded_at">,
  now: Date,
) {
  const grades: Grade[] = rows.map((r) => ({
    outcome: r.outcome ?? "unanswered",
    points: Number(r.points ?? 0),
    maxPoints: Number(r.max_points ?? 0),
  }));
  const total = scoreAttempt(grades);
  const graded = total.pendingManual === 0;
  return {
    points_earned: total.points,
    points_possible: total.maxPoints,
    score: total.percent === null ? null : forDisplay(total.percent),
    pending_manual: total.pendingManual,
    status: graded ? ("graded" as const) : ("submitted" as const),
    graded_at: graded ? (attempt.graded_at ?? now) : null,
    passed: graded && total.percent !== null ? total.percent >= Number(quiz.passing_score) : null,
    flagged_for_review: rows.some((r) => r.flagged_for_review),
  };
}

/** Totals an attempt from its answer rows and stores them; graded once nothing waits for a person. */
export async function retotalAttempt(
  ctx: Ctx,
  attempt: QuizAttemptRow,
  quiz: QuizRow,
): Promise<QuizAttemptRow> {
  const rows = await ctx.db
    .selectFrom("quiz_answers")
    .select(["outcome", "points", "max_points", "flagged_for_review"])
    .where("attempt_id", "=", attempt.id)
    .execute();
  return ctx.db
    .updateTable("quiz_attempts")
    .set(attemptTotals(rows, quiz, attempt, ctx.clock.now()))
    .where("id", "=", attempt.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Recomputes a learner's standing on a quiz from their graded attempts: best and last score,
 * passed (any attempt passed), and when the quiz first counted towards completion.
 */
export async function refreshStanding(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  quiz: QuizRow,
  known: {
    /** The learner's attempts at the quiz, oldest first, when the caller has them already. */
    attempts?: QuizAttemptRow[];
    /** Events of the change that led here, written by the same statement. */
    record?: EventInput[];
  } = {},
) {
  const attempts =
    known.attempts ??
    (await ctx.db
      .selectFrom("quiz_attempts")
      .selectAll()
      .where("enrollment_id", "=", enrollment.id)
      .where("quiz_id", "=", quiz.id)
      .orderBy("attempt_number")
      .execute());
  const closed = attempts.filter((a) => a.status !== "in-progress");
  const graded = closed.filter((a) => a.status === "graded");
  const best = [...graded].sort(
    (a, b) => (numberOrNull(b.score) ?? -1) - (numberOrNull(a.score) ?? -1),
  )[0];
  const last = graded.at(-1);
  const firstPass = graded
    .filter((a) => a.passed)
    .sort((a, b) => (a.graded_at?.getTime() ?? 0) - (b.graded_at?.getTime() ?? 0))[0];
  const firstTaken = graded[0];
  const satisfiedAt = countsWhenTaken(quiz.kind)
    ? (firstTaken?.graded_at ?? null)
    : (firstPass?.graded_at ?? null);
  const values = {
    attempts_used: closed.length,
    best_score: best ? numberOrNull(best.score) : null,
    best_attempt_id: best?.id ?? null,
    last_score: last ? numberOrNull(last.score) : null,
    last_attempt_id: last?.id ?? null,
    passed: !!firstPass,
    passed_at: firstPass?.graded_at ?? null,
    satisfied_at: satisfiedAt,
    updated_at: ctx.clock.now(),
  };
  const events = known.record ?? [];
  const e = enrollment.id;
  // The upsert and a read of the row as it was before it, in one statement (the select sees
  // the statement's starting snapshot), with the events of the change.
  const { rows } = await sql<{
    passed: boolean | null;
    satisfied_at: Date | null;
    recorded: number;
  }>`
    with ${events.length ? sql`${recordingEvents(ctx, events)},` : sql``}
    saved as (
      insert into quiz_results (enrollment_id, quiz_id, user_id, attempts_used, best_score,
                                best_attempt_id, last_score, last_attempt_id, passed, passed_at,
                                satisfied_at, updated_at)
      values (${e}, ${quiz.id}, ${enrollment.user_id}, ${values.attempts_used},
              ${values.best_score}, ${values.best_attempt_id}, ${values.last_score},
              ${values.last_attempt_id}, ${values.passed}, ${values.passed_at},
              ${values.satisfied_at}, ${values.updated_at})
      on conflict (enrollment_id, quiz_id) do update set
        attempts_used = excluded.attempts_used, best_score = excluded.best_score,
        best_attempt_id = excluded.best_attempt_id, last_score = excluded.last_score,
        last_attempt_id = excluded.last_attempt_id, passed = excluded.passed,
        passed_at = excluded.passed_at, satisfied_at = excluded.satisfied_at,
        updated_at = excluded.updated_at
      returning quiz_id
    )
    select r.passed, r.satisfied_at,
           ${events.length ? sql`(select count(*) from recorded_events)::integer` : sql`0`} as recorded
    from (select 1) as one
    left join quiz_results r on r.enrollment_id = ${e} and r.quiz_id = ${quiz.id}`.execute(ctx.db);
  const before = rows[0];
  if (events.length && before?.recorded !== events.length) await refuseUnknownEvents(ctx, events);
  return {
    newlyPassed: !!firstPass && !before?.passed,
    satisfactionChanged: !!satisfiedAt !== !!before?.satisfied_at,
    /** The learner's attempts at the quiz, oldest first. */
    attempts,
  };
}

/**
 * Everything that follows an attempt reaching "graded" (automatically at submit, or when the
 * last open answer was graded by a person or the AI grader).
 */
export async function afterGraded(
  ctx: Ctx,
  enrollment: EnrollmentRow,
  quiz: QuizRow,
  attempt: QuizAttemptRow,
  options: {
    tellLearner: boolean;
    regrade?: boolean;
    /** Events to store first, in the same statement (the submission's). */
    record?: EventInput[];
    /** The learner's attempts at the quiz, oldest first, when the caller has them already. */
    history?: QuizAttemptRow[];
  },
): Promise<{ attempts: QuizAttemptRow[] }> {
  const data = {
    quizId: quiz.id,
    attemptId: attempt.id,
    attemptNumber: attempt.attempt_number,
    kind: quiz.kind,
    score: numberOrNull(attempt.score),
    passed: attempt.passed,
    ...(options.regrade ? { regrade: true } : {}),
  };
  const events: EventInput[] = [
    ...(options.record ?? []),
    enrollmentEvent(ctx, "assessment-graded", enrollment, { contentId: quiz.id, data }),
  ];
  // A regrade changes the grade of an assessment that was already completed.
  if (!options.regrade)
    events.push(
      enrollmentEvent(ctx, "assessment-completed", enrollment, { contentId: quiz.id, data }),
    );
  const standing = await refreshStanding(ctx, enrollment, quiz, {
    attempts: options.history,
    record: events,
  });
  if (standing.satisfactionChanged && quiz.required_for_completion && quiz.is_published)
    await settleProgress(ctx, enrollment, quiz.module_id);
  if (quiz.kind === "certification" && standing.newlyPassed)
    await ctx.events.emit(ctx, "quiz.certification-passed", {
      enrollmentId: enrollment.id,
      quizId: quiz.id,
      attemptId: attempt.id,
    });
  if (quiz.kind === "pre-course" || quiz.kind === "post-course")
    await refreshLearningGain(ctx, enrollment);
  await ctx.events.emit(ctx, "quiz.graded", {
    attemptId: attempt.id,
    quizId: quiz.id,
    enrollmentId: enrollment.id,
    userId: attempt.user_id,
    courseId: enrollment.course_id,
    organizationId: enrollment.organization_id,
    score: numberOrNull(attempt.score),
    passed: attempt.passed,
    regrade: !!options.regrade,
  });
  if (options.tellLearner)
    await notify(ctx, {
      userId: attempt.user_id,
      organizationId: enrollment.organization_id,
      type: "quiz-graded",
      variables: {
        quizTitle: quiz.title,
        regraded: !!options.regrade,
        score: attempt.score === null ? null : numberOrNull(attempt.score),
        passed: !!attempt.passed,
      },
      data: { quizId: quiz.id, attemptId: attempt.id },
      actionPath: `/attempts/${attempt.id}`,
    });
  return { attempts: standing.attempts };
}

/** Whether a learner still has to pass a course's certification quiz before being certified. */
export async function certificationPending(ctx: Ctx, enrollment: EnrollmentRow): Promise<boolean> {
  const pending = await ctx.db
    .selectFrom("quizzes as q")
    .leftJoin("quiz_results as r", (join) =>
      join.onRef("r.quiz_id", "=", "q.id").on("r.enrollment_id", "=", enrollment.id),
    )
    .select("q.id")
    .where("q.course_id", "=", enrollment.course_id)
    .where("q.kind", "=", "certification")
    .where("q.is_published", "=", true)
    .where("q.deleted_at", "is", null)
    .where((eb) => eb.or([eb("r.passed", "is", null), eb("r.passed", "=", false)]))
    .executeTakeFirst();
  return !!pending;
}
