import { numberOrNull } from "../../db/values.js";
import { forDisplay } from "./grading.js";
import { learnerView, type QuestionDefinition } from "./questions.js";
import type { QuizAnswerRow, QuizAttemptRow, QuizQuestionRow, QuizRow } from "./schema.js";

/**
 * How an attempt is shown. Learners see questions without any answer data while they answer;
 * after the attempt closes they see their score, and the answer key, explanations and per-answer
 * feedback only once the quiz's show-correct-answers policy allows it. The course team always
 * sees everything, with the grading trail.
 */

/**
 * Whether a learner may see the right answers of a closed attempt (seed 002 policy):
 * never; after-submit; after-passing (any attempt of theirs passed); after-all-attempts (every
 * attempt used, or the quiz closed); after-deadline (the quiz's window closed).
 */
export function answersRevealed(
  quiz: Pick<QuizRow, "show_correct_answers" | "attempt_limit" | "available_until">,
  attempt: Pick<QuizAttemptRow, "status">,
  history: Array<Pick<QuizAttemptRow, "status" | "passed">>,
  now: Date,
): boolean {
  // While another attempt is open, earlier attempts' answers stay hidden too.
  if (attempt.status === "in-progress" || history.some((a) => a.status === "in-progress"))
    return false;
  const closed = !!quiz.available_until && now >= quiz.available_until;
  switch (quiz.show_correct_answers) {
    case "after-submit":
      return true;
    case "after-passing":
      return history.some((a) => a.passed === true);
    case "after-all-attempts":
      return (
        closed ||
        (quiz.attempt_limit !== null &&
          history.filter((a) => a.status !== "in-progress").length >= quiz.attempt_limit)
      );
    case "after-deadline":
      return closed;
    default:
      return false;
  }
}

/** The right answer of a question, in the shape a review screen shows it. */
export function answerKey(q: QuestionDefinition) {
  const common = { explanation: q.explanation ?? null };
  switch (q.type) {
    case "multiple-choice":
    case "multiple-select":
      return {
        ...common,
        correctOptionIds: q.options.filter((o) => o.correct).map((o) => o.id),
        optionFeedback: Object.fromEntries(
          q.options.filter((o) => o.feedback).map((o) => [o.id, o.feedback]),
        ),
      };
    case "true-false":
      return { ...common, correct: q.correct };
    case "short-answer":
      return { ...common, accepted: q.answer.accepted };
    case "fill-blank":
      return { ...common, blanks: q.blanks.map((b) => b.accepted) };
    case "matching":
      return { ...common, pairs: Object.fromEntries(q.pairs.map((p) => [p.left.id, p.right.id])) };
    case "essay":
      return {
        ...common,
        rubric: q.rubric.map((c) => ({ description: c.description, points: c.points })),
      };
    default:
      return common;
  }
}

/** A question as served in an attempt: the learner view, in the attempt's stored order. */
export function servedQuestion(
  row: Pick<QuizQuestionRow, "id" | "definition">,
  layout: QuizAttemptRow["layout"],
): ReturnType<typeof learnerView> {
  const def = row.definition as QuestionDefinition;
  const view = learnerView(def);
  const order = layout[row.id];
  const byOrder = <T extends { id: string }>(items: T[], ids?: string[]) =>
    ids ? ids.map((id) => items.find((i) => i.id === id)).filter((i): i is T => !!i) : items;
  if ("options" in view && order?.options)
    return { ...view, options: byOrder(view.options, order.options) };
  if ("right" in view && order?.right) return { ...view, right: byOrder(view.right, order.right) };
  return view;
}

/** Points as shown: stored exact, rounded to two decimals here. */
function shown(value: number | string | null): number | null {
  const n = numberOrNull(value);
  return n === null ? null : forDisplay(n);
}

/**
 * The feedback on one answer of a closed attempt. A person's comment is the learner's to read
 * once the attempt is closed. What the AI grader wrote is derived from the rubric (a keyword
 * grader names the criteria not met), so it follows the answer key: shown only when the key is
 * (`showKey`: the course team, or the quiz's policy allows it), and only while the AI's grade
 * still stands.
 */
function answerFeedback(
  answer: Pick<
    QuizAnswerRow,
    "feedback" | "ai_feedback" | "ai_decision" | "ai_points" | "points" | "outcome"
  >,
  showKey: boolean,
): string | null {
  if (answer.feedback) return answer.feedback;
  const aiGradeStands =
    (answer.ai_decision === "graded" || answer.ai_decision === "graded-flagged") &&
    answer.outcome !== "needs-grading" &&
    answer.ai_points !== null &&
    Number(answer.ai_points) === Number(answer.points);
  return showKey && aiGradeStands ? answer.ai_feedback : null;
}

export interface ViewInput {
  quiz: QuizRow;
  attempt: QuizAttemptRow;
  questions: Array<Pick<QuizQuestionRow, "id" | "definition" | "points">>;
  answers: QuizAnswerRow[];
  /** Show the answer key and per-question results. */
  reveal: boolean;
  /** The course team: everything, with the grading trail. */
  staff: boolean;
  now: Date;
  /** For the course team: the names of the learner and of the people who graded, by id. */
  people?: Map<string, { name: string; email: string }>;
}

export function attemptView({
  quiz,
  attempt,
  questions,
  answers,
  reveal,
  staff,
  now,
  people,
}: ViewInput) {
  const person = (id: string | null) => {
    const found = id ? people?.get(id) : undefined;
    return id && found ? { id, ...found } : null;
  };
  const open = attempt.status === "in-progress";
  const showKey = staff || reveal;
  return {
    id: attempt.id,
    quizId: attempt.quiz_id,
    quiz: {
      id: quiz.id,
      courseId: quiz.course_id,
      title: quiz.title,
      instructions: quiz.instructions,
      passingScore: Number(quiz.passing_score),
      showCorrectAnswers: quiz.show_correct_answers,
    },
    userId: attempt.user_id,
    attemptNumber: attempt.attempt_number,
    status: attempt.status,
    endReason: attempt.end_reason,
    startedAt: attempt.started_at.toISOString(),
    deadlineAt: attempt.deadline_at?.toISOString() ?? null,
    secondsLeft:
      open && attempt.deadline_at
        ? Math.max(0, Math.floor((attempt.deadline_at.getTime() - now.getTime()) / 1000))
        : null,
    submittedAt: attempt.submitted_at?.toISOString() ?? null,
    gradedAt: attempt.graded_at?.toISOString() ?? null,
    timeSpentSeconds: attempt.time_spent_seconds,
    allowBackNavigation: quiz.allow_back_navigation,
    currentPosition: attempt.current_position,
    pointsEarned: open ? null : shown(attempt.points_earned),
    pointsPossible:
      numberOrNull(attempt.points_possible) ??
      questions
        .filter((q) => attempt.question_ids.includes(q.id))
        .reduce((n, q) => n + Number(q.points), 0),
    score: open ? null : numberOrNull(attempt.score),
    passed: open ? null : attempt.passed,
    pendingManual: attempt.pending_manual,
    feedback: open ? null : attempt.feedback,
    answersRevealed: showKey,
    ...(staff
      ? {
          flaggedForReview: attempt.flagged_for_review,
          reviewNotes: attempt.review_notes,
          learner: person(attempt.user_id),
        }
      : {}),
    questions: attempt.question_ids.map((id, index) => {
      const row = questions.find((q) => q.id === id);
      const answer = answers.find((a) => a.quiz_question_id === id);
      const position = index + 1;
      return {
        id,
        position,
        locked: open && !quiz.allow_back_navigation && position < attempt.current_position,
        question: row ? servedQuestion(row, attempt.layout) : null,
        response: (answer?.response ?? null) as Record<string, unknown> | null,
        markedForReview: answer?.marked_for_review ?? false,
        savedAt: answer?.saved_at?.toISOString() ?? null,
        feedback: open || !answer ? null : answerFeedback(answer, showKey),
        ...(showKey && !open && answer
          ? {
              result: {
                outcome: answer.outcome,
                points: shown(answer.points),
                maxPoints: numberOrNull(answer.max_points),
              },
            }
          : {}),
        ...(showKey && row && (!open || staff)
          ? { key: answerKey(row.definition as QuestionDefinition) }
          : {}),
        ...(staff && answer
          ? {
              grading: {
                rubricScores: (answer.rubric_scores as number[] | null) ?? null,
                // A person's own comment, apart from the AI's (`feedback` above shows either).
                comment: answer.feedback,
                gradedBy: answer.graded_by,
                grader: person(answer.graded_by),
                gradedAt: answer.graded_at?.toISOString() ?? null,
                manualOverride: answer.manual_override,
                flaggedForReview: answer.flagged_for_review,
                ai: answer.ai_decision
                  ? {
                      grader: answer.ai_grader,
                      points: numberOrNull(answer.ai_points),
                      confidence: numberOrNull(answer.ai_confidence),
                      decision: answer.ai_decision,
                      feedback: answer.ai_feedback,
                      criteria: answer.ai_criteria as unknown,
                    }
                  : null,
              },
            }
          : {}),
      };
    }),
  };
}

export type AttemptView = ReturnType<typeof attemptView>;
