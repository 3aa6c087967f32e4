import { numberOrNull } from "../../db/values.js";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { can } from "../../platform/policy/engine.js";
import { courseTarget, courseTeam, visibleCourse } from "../catalog/policy.js";
import type { CourseRow } from "../catalog/schema.js";
import { lockEnrollment } from "../progress/tracking.js";
import { type AiGrade, decide } from "./ai-grading.js";
import { quizById } from "./attempt-reads.js";
import { forDisplay } from "./grading.js";
import type { QuestionDefinition } from "./questions.js";
import { afterGraded, retotalAttempt } from "./results.js";
import type { AnswerOutcome } from "./schema.js";

/**
 * Grading by people (seed 002 §Manual Grading) and by the AI grader (seed 001 §AI Grading
 * Confidence Thresholds): a queue of open answers and flagged grades per course, grades with
 * rubric scores and feedback, regrades of anything, and every change of a rule's or the AI's
 * grade recorded as a manual override.
 */

/**
 * A course whose attempts the actor may grade and analyse: its instructor and staff (with
 * `assessments:grade` on assigned courses), organization graders, and those who manage its
 * assessments.
 */
export async function courseForGrading(ctx: Ctx, courseId: string): Promise<CourseRow> {
  const course = await visibleCourse(ctx, courseId);
  const team = await courseTeam(ctx, course);
  const access = await ctx.actor.access();
  const graders = {
    organizationId: course.organization_id,
    ownerId: team.instructorId,
    assigneeIds: [team.instructorId, ...team.staff],
  };
  if (
    can(access, "assessments:grade", graders) ||
    can(access, "assessments:manage", courseTarget(course, team, "editors"))
  )
    return course;
  throw new AppError("FORBIDDEN", "Only the course's instructor, staff and graders may do this");
}

export function outcomeOf(points: number, max: number): AnswerOutcome {
  if (max <= 0) return "ungraded";
  if (points >= max) return "correct";
  if (points <= 0) return "incorrect";
  return "partial";
}

export interface QueueFilter {
  quizId?: string;
  /**
   * pending: waiting for a grade; flagged: AI grades to review; all: both; graded: answers a
   * person or the AI grader has graded (not the rules), the latest grade first, to regrade.
   */
  show?: "pending" | "flagged" | "all" | "graded";
}

/**
 * Open answers waiting for a grade and AI grades flagged for review, oldest submission first;
 * or, with `show: "graded"`, what people and the AI grader graded, latest first.
 */
export async function gradingQueue(ctx: Ctx, courseId: string, filter: QueueFilter = {}) {
  const course = await courseForGrading(ctx, courseId);
  const show = filter.show ?? "all";
  let query = ctx.db
    .selectFrom("quiz_answers as a")
    .innerJoin("quiz_attempts as t", "t.id", "a.attempt_id")
    .innerJoin("quiz_questions as q", "q.id", "a.quiz_question_id")
    .innerJoin("quizzes as z", "z.id", "t.quiz_id")
    .innerJoin("users as u", "u.id", "t.user_id")
    .leftJoin("users as g", "g.id", "a.graded_by")
    .select([
      "a.id",
      "a.attempt_id",
      "a.quiz_question_id",
      "a.response",
      "a.outcome",
      "a.points",
      "a.max_points",
      "a.flagged_for_review",
      "a.graded_at",
      "a.manual_override",
      "g.id as grader_id",
      "g.first_name as grader_first_name",
      "g.last_name as grader_last_name",
      "a.ai_grader",
      "a.ai_points",
      "a.ai_confidence",
      "a.ai_decision",
      "a.ai_feedback",
      "a.ai_criteria",
      "q.definition",
      "z.id as quiz_id",
      "z.title as quiz_title",
      "t.submitted_at",
      "t.attempt_number",
      "u.id as user_id",
      "u.first_name",
      "u.last_name",
      "u.email",
    ])
    .where("t.course_id", "=", course.id)
    .where("t.status", "!=", "in-progress");
  if (filter.quizId) query = query.where("t.quiz_id", "=", filter.quizId);
  query = query.where((eb) =>
    show === "pending"
      ? eb("a.outcome", "=", "needs-grading")
      : show === "flagged"
        ? eb("a.flagged_for_review", "=", true)
        : show === "graded"
          ? eb.and([
              eb("a.outcome", "!=", "needs-grading"),
              eb("a.flagged_for_review", "=", false),
              eb.or([
                eb("a.graded_by", "is not", null),
                eb("a.ai_decision", "in", ["graded", "graded-flagged"]),
              ]),
            ])
          : eb.or([eb("a.outcome", "=", "needs-grading"), eb("a.flagged_for_review", "=", true)]),
  );
  query =
    show === "graded"
      ? query.orderBy("a.graded_at", "desc").orderBy("a.id")
      : query.orderBy("t.submitted_at").orderBy("a.id");
  const rows = await query.limit(500).execute();
  return rows.map((r) => {
    const def = r.definition as QuestionDefinition;
    return {
      answerId: r.id,
      attemptId: r.attempt_id,
      attemptNumber: r.attempt_number,
      quizId: r.quiz_id,
      quizTitle: r.quiz_title,
      questionId: r.quiz_question_id,
      question: {
        type: def.type,
        text: def.text,
        points: def.points,
        rubric: def.type === "essay" ? def.rubric : [],
      },
      learner: { id: r.user_id, name: `${r.first_name} ${r.last_name}`.trim(), email: r.email },
      response: r.response as Record<string, unknown> | null,
      submittedAt: r.submitted_at?.toISOString() ?? null,
      outcome: r.outcome,
      points: r.points === null ? null : forDisplay(Number(r.points)),
      maxPoints: numberOrNull(r.max_points),
      flaggedForReview: r.flagged_for_review,
      gradedAt: r.graded_at?.toISOString() ?? null,
      gradedBy: r.grader_id
        ? {
            id: r.grader_id,
            name: `${r.grader_first_name ?? ""} ${r.grader_last_name ?? ""}`.trim(),
          }
        : null,
      manualOverride: r.manual_override,
      ai: r.ai_decision
        ? {
            grader: r.ai_grader,
            points: numberOrNull(r.ai_points),
            confidence: numberOrNull(r.ai_confidence),
            decision: r.ai_decision,
            feedback: r.ai_feedback,
            criteria: r.ai_criteria as unknown,
          }
        : null,
    };
  });
}

export interface GradeInput {
  answers: Array<{
    questionId: string;
    /** Points given; with `rubricScores`, their sum (and it may be left out). */
    points?: number;
    /** Points per rubric criterion, in rubric order. */
    rubricScores?: number[];
    feedback?: string | null;
  }>;
  /** Feedback on the whole attempt. */
  feedback?: string | null;
  reviewNotes?: string | null;
}

/**
 * Grades (or regrades) an attempt's answers. Any answer may be graded, not only open ones: a
 * grade that differs from what the rules or the AI grader gave is recorded as a manual override,
 * and every change is in the audit log. The attempt is graded once no answer waits.
 */
export async function gradeAttempt(ctx: Ctx, attemptId: string, input: GradeInput) {
  const found = await ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("id", "=", attemptId)
    .executeTakeFirst();
  if (!found) throw new AppError("NOT_FOUND", "Attempt not found");
  const course = await courseForGrading(ctx, found.course_id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", "Attempt not found");
    throw error;
  });
  if (found.status === "in-progress")
    throw new AppError("ATTEMPT_IN_PROGRESS", "The learner has not submitted this attempt yet", {
      details: { status: found.status },
    });
  const quiz = await quizById(ctx, found.quiz_id);
  const graderId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  return inTransaction(ctx, async (tx) => {
    const enrollment = await lockEnrollment(tx, found.enrollment_id);
    const attempt = await tx.db
      .selectFrom("quiz_attempts")
      .selectAll()
      .where("id", "=", attemptId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const rows = await tx.db
      .selectFrom("quiz_answers as a")
      .innerJoin("quiz_questions as q", "q.id", "a.quiz_question_id")
      .selectAll("a")
      .select("q.definition")
      .where("a.attempt_id", "=", attemptId)
      .execute();
    const now = tx.clock.now();
    const changes: Array<Record<string, unknown>> = [];
    for (const [i, given] of input.answers.entries()) {
      const row = rows.find((r) => r.quiz_question_id === given.questionId);
      if (!row)
        throw new AppError("VALIDATION_ERROR", "This question is not part of the attempt", {
          field: `answers.${i}.questionId`,
        });
      const def = row.definition as QuestionDefinition;
      const max = Number(row.max_points ?? 0);
      let points = given.points;
      if (given.rubricScores) {
        const rubric = def.type === "essay" ? def.rubric : [];
        if (given.rubricScores.length !== rubric.length)
          throw new AppError(
            "VALIDATION_ERROR",
            `Score each of the ${rubric.length} rubric criteria`,
            {
              field: `answers.${i}.rubricScores`,
            },
          );
        const over = given.rubricScores.findIndex((s, k) => s < 0 || s > (rubric[k]?.points ?? 0));
        if (over >= 0)
          throw new AppError(
            "VALIDATION_ERROR",
            `Criterion ${over + 1} is worth ${rubric[over]?.points} points at most`,
            {
              field: `answers.${i}.rubricScores`,
            },
          );
        const sum = Math.round(given.rubricScores.reduce((n, s) => n + s, 0) * 100) / 100;
        if (points !== undefined && Math.abs(points - sum) > 1e-9)
          throw new AppError("VALIDATION_ERROR", "points must equal the sum of the rubric scores", {
            field: `answers.${i}.points`,
          });
        points = sum;
      }
      if (points === undefined && row.outcome === "needs-grading")
        throw new AppError(
          "VALIDATION_ERROR",
          "Give points (or rubric scores) to grade this answer",
          {
            field: `answers.${i}.points`,
          },
        );
      if (points !== undefined && (points < 0 || points > max))
        throw new AppError("VALIDATION_ERROR", `Points go from 0 to ${max} for this question`, {
          field: `answers.${i}.points`,
        });
      const before = { outcome: row.outcome, points: numberOrNull(row.points) };
      const current = Number(row.points ?? 0);
      // Points are shown with two decimals: giving back the shown value of an exact grade (0.67
      // for 2/3) keeps the grade as it is rather than rounding it.
      if (points !== undefined && row.outcome !== "needs-grading" && points === forDisplay(current))
        points = current;
      const newPoints = points ?? current;
      const outcome = points === undefined ? row.outcome : outcomeOf(newPoints, max);
      const overridden =
        points !== undefined &&
        ((row.outcome !== "needs-grading" && current !== newPoints) ||
          (row.ai_points !== null && Number(row.ai_points) !== newPoints));
      await tx.db
        .updateTable("quiz_answers")
        .set({
          points: newPoints,
          outcome,
          ...(given.feedback !== undefined ? { feedback: given.feedback } : {}),
          ...(given.rubricScores ? { rubric_scores: JSON.stringify(given.rubricScores) } : {}),
          graded_by: graderId,
          graded_at: now,
          flagged_for_review: false,
          manual_override: row.manual_override || overridden,
        })
        .where("id", "=", row.id)
        .execute();
      changes.push({
        questionId: row.quiz_question_id,
        before,
        after: { outcome, points: newPoints },
        manualOverride: overridden,
      });
    }
    await tx.db
      .updateTable("quiz_attempts")
      .set({
        graded_by: graderId,
        ...(input.feedback !== undefined ? { feedback: input.feedback } : {}),
        ...(input.reviewNotes !== undefined ? { review_notes: input.reviewNotes } : {}),
      })
      .where("id", "=", attempt.id)
      .execute();
    const regrade = attempt.status === "graded";
    const updated = await retotalAttempt(tx, attempt, quiz);
    await audit(tx, {
      organizationId: course.organization_id,
      action: regrade ? "quiz-attempt.regrade" : "quiz-attempt.grade",
      entityType: "quiz_attempt",
      entityId: attempt.id,
      before: {
        score: numberOrNull(attempt.score),
        passed: attempt.passed,
        status: attempt.status,
      },
      after: {
        score: numberOrNull(updated.score),
        passed: updated.passed,
        status: updated.status,
        answers: changes,
      },
    });
    if (updated.status === "graded")
      await afterGraded(tx, enrollment, quiz, updated, { tellLearner: true, regrade });
    return updated;
  });
}

/**
 * Runs the AI grader over an attempt's open answers that have a rubric (the job queued at
 * submit). The grader is called outside any transaction; its verdicts are applied under the
 * locks, to answers nobody graded meanwhile: ≥ 0.9 graded, 0.7–0.9 graded and flagged for
 * review, < 0.7 left for a person with the suggestion attached. The grader's feedback is kept
 * in `ai_feedback`, never in `feedback` (a person's comment): it is drawn from the rubric, so
 * learners see it only when the answer key shows (attempt-view.ts).
 */
export async function aiGradeAttempt(ctx: Ctx, attemptId: string) {
  const tally = { graded: 0, flagged: 0, manual: 0 };
  const grader = ctx.grader;
  if (!grader) return tally;
  const attempt = await ctx.db
    .selectFrom("quiz_attempts")
    .selectAll()
    .where("id", "=", attemptId)
    .executeTakeFirst();
  if (!attempt || attempt.status !== "submitted") return tally;
  const open = await ctx.db
    .selectFrom("quiz_answers as a")
    .innerJoin("quiz_questions as q", "q.id", "a.quiz_question_id")
    .select(["a.id", "a.response", "a.max_points", "q.definition"])
    .where("a.attempt_id", "=", attemptId)
    .where("a.outcome", "=", "needs-grading")
    .where("a.ai_decision", "is", null)
    .execute();
  const verdicts: Array<{ id: string; max: number; ai: AiGrade }> = [];
  for (const row of open) {
    const def = row.definition as QuestionDefinition;
    if (def.type !== "essay" || !def.rubric.length) continue;
    const text = (row.response as { text?: string } | null)?.text ?? "";
    const ai = await grader.grade({
      question: def.text,
      answer: text,
      maxPoints: Number(row.max_points ?? def.points),
      rubric: def.rubric,
      ...(def.minWords ? { minWords: def.minWords } : {}),
      ...(def.maxWords ? { maxWords: def.maxWords } : {}),
    });
    verdicts.push({ id: row.id, max: Number(row.max_points ?? def.points), ai });
  }
  if (!verdicts.length) return tally;
  const quiz = await quizById(ctx, attempt.quiz_id);
  await inTransaction(ctx, async (tx) => {
    const enrollment = await lockEnrollment(tx, attempt.enrollment_id);
    const current = await tx.db
      .selectFrom("quiz_attempts")
      .selectAll()
      .where("id", "=", attemptId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const now = tx.clock.now();
    for (const v of verdicts) {
      const decision = decide(v.ai.confidence);
      const applies = decision !== "manual";
      const points = Math.min(v.max, Math.max(0, v.ai.points));
      const updated = await tx.db
        .updateTable("quiz_answers")
        .set({
          ai_grader: grader.name,
          ai_points: points,
          ai_confidence: v.ai.confidence,
          ai_decision: decision,
          ai_feedback: v.ai.feedback,
          ai_criteria: JSON.stringify(v.ai.criteria),
          ...(applies
            ? {
                points,
                outcome: outcomeOf(points, v.max),
                graded_at: now,
                flagged_for_review: decision === "graded-flagged",
              }
            : {}),
        })
        .where("id", "=", v.id)
        .where("outcome", "=", "needs-grading")
        .returning("id")
        .executeTakeFirst();
      if (!updated) continue;
      if (decision === "graded") tally.graded += 1;
      else if (decision === "graded-flagged") tally.flagged += 1;
      else tally.manual += 1;
    }
    if (current.status !== "submitted") return;
    const retotalled = await retotalAttempt(tx, current, quiz);
    if (retotalled.status === "graded")
      await afterGraded(tx, enrollment, quiz, retotalled, { tellLearner: true });
  });
  return tally;
}
