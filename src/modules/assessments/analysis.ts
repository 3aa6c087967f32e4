import type { Ctx } from "../../platform/context.js";
import { quizById } from "./attempt-reads.js";
import { courseForGrading } from "./grade.js";
import type { QuestionDefinition } from "./questions.js";

/**
 * Item analysis for instructors (classical test theory) over a quiz's closed attempts:
 *
 * - difficulty p: the mean share of a question's points learners earned (1 = everyone right);
 * - discrimination D: mean item share among the top 27 % of attempts by total score, less that
 *   among the bottom 27 % (from −1 to 1; below 0.2 the question separates strong and weak poorly);
 * - point-biserial r: the correlation of the item share with the rest of the score (total
 *   without this item), so an item does not correlate with itself;
 * - how often each option was chosen, and a score distribution of graded attempts.
 */

const round = (n: number, places = 4) => Math.round(n * 10 ** places) / 10 ** places;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function pearson(xs: number[], ys: number[]): number | null {
  if (xs.length < 3) return null;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx && syy ? round(sxy / Math.sqrt(sxx * syy)) : null;
}

export function upperLowerIndex(
  rows: Array<{ total: number; share: number }>,
  fraction = 0.27,
): number | null {
  if (rows.length < 4) return null;
  const sorted = [...rows].sort((a, b) => b.total - a.total);
  const k = Math.max(1, Math.round(rows.length * fraction));
  const upper = sorted.slice(0, k).map((r) => r.share);
  const lower = sorted.slice(-k).map((r) => r.share);
  return round(mean(upper) - mean(lower));
}

export function distribution(scores: number[], passingScore: number) {
  const buckets = Array.from({ length: 10 }, (_, i) => ({
    from: i * 10,
    to: i === 9 ? 100 : i * 10 + 9.99,
    count: 0,
  }));
  for (const s of scores) {
    const bucket = buckets[Math.min(9, Math.floor(s / 10))];
    if (bucket) bucket.count += 1;
  }
  if (!scores.length)
    return {
      attempts: 0,
      mean: null,
      median: null,
      stdDev: null,
      min: null,
      max: null,
      passRate: null,
      buckets,
    };
  const sorted = [...scores].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = mean(scores);
  return {
    attempts: scores.length,
    mean: round(m, 2),
    median: round(
      sorted.length % 2
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2,
      2,
    ),
    stdDev: round(Math.sqrt(mean(scores.map((s) => (s - m) ** 2))), 2),
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
    passRate: round((scores.filter((s) => s >= passingScore).length / scores.length) * 100, 2),
    buckets,
  };
}

export async function itemAnalysis(
  ctx: Ctx,
  quizId: string,
  options: { firstOnly?: boolean } = {},
) {
  const quiz = await quizById(ctx, quizId);
  await courseForGrading(ctx, quiz.course_id);
  let attemptsQuery = ctx.db
    .selectFrom("quiz_attempts")
    .select(["id", "points_earned", "score", "status"])
    .where("quiz_id", "=", quiz.id)
    .where("status", "!=", "in-progress");
  if (options.firstOnly) attemptsQuery = attemptsQuery.where("attempt_number", "=", 1);
  const attempts = await attemptsQuery.execute();
  const questions = await ctx.db
    .selectFrom("quiz_questions")
    .select(["id", "position", "definition"])
    .where("quiz_id", "=", quiz.id)
    .orderBy("position")
    .execute();
  const answers = attempts.length
    ? await ctx.db
        .selectFrom("quiz_answers")
        .select(["attempt_id", "quiz_question_id", "response", "points", "max_points", "outcome"])
        .where(
          "attempt_id",
          "in",
          attempts.map((a) => a.id),
        )
        .execute()
    : [];
  const totals = new Map(attempts.map((a) => [a.id, Number(a.points_earned ?? 0)]));

  const items = questions.map((q) => {
    const def = q.definition as QuestionDefinition;
    const own = answers.filter((a) => a.quiz_question_id === q.id && Number(a.max_points ?? 0) > 0);
    const rows = own.map((a) => {
      const points = Math.max(0, Number(a.points ?? 0));
      const share = points / Number(a.max_points);
      return {
        share,
        total: totals.get(a.attempt_id) ?? 0,
        rest: (totals.get(a.attempt_id) ?? 0) - points,
      };
    });
    const outcomes: Record<string, number> = {};
    for (const a of answers.filter((x) => x.quiz_question_id === q.id))
      outcomes[a.outcome ?? "unanswered"] = (outcomes[a.outcome ?? "unanswered"] ?? 0) + 1;
    const chosen = (id: string) =>
      own.filter((a) =>
        ((a.response as { selected?: string[] } | null)?.selected ?? []).includes(id),
      ).length;
    const options =
      def.type === "multiple-choice" || def.type === "multiple-select"
        ? def.options.map((o) => ({
            id: o.id,
            text: o.text,
            correct: o.correct,
            count: chosen(o.id),
          }))
        : def.type === "true-false"
          ? [true, false].map((v) => ({
              id: String(v),
              text: v ? "True" : "False",
              correct: def.correct === v,
              count: own.filter((a) => (a.response as { value?: boolean } | null)?.value === v)
                .length,
            }))
          : null;
    const difficulty = rows.length ? round(mean(rows.map((r) => r.share))) : null;
    const discrimination = upperLowerIndex(rows);
    const flags: string[] = [];
    if (difficulty !== null && rows.length >= 5) {
      if (difficulty > 0.9) flags.push("very-easy");
      if (difficulty < 0.2) flags.push("very-hard");
    }
    if (discrimination !== null && discrimination < 0.2) flags.push("low-discrimination");
    if (options && own.length >= 5) {
      const right = Math.max(0, ...options.filter((o) => o.correct).map((o) => o.count));
      if (options.some((o) => !o.correct && o.count === 0)) flags.push("unused-distractor");
      if (options.some((o) => !o.correct && o.count > right)) flags.push("distractor-beats-key");
    }
    return {
      questionId: q.id,
      position: q.position,
      type: def.type,
      text: def.text,
      responses: own.length,
      difficulty,
      discrimination,
      pointBiserial: pearson(
        rows.map((r) => r.share),
        rows.map((r) => r.rest),
      ),
      outcomes,
      options,
      flags,
    };
  });
  const graded = attempts.filter((a) => a.status === "graded" && a.score !== null);
  return {
    quizId: quiz.id,
    attempts: attempts.length,
    firstAttemptsOnly: !!options.firstOnly,
    scoreDistribution: distribution(
      graded.map((a) => Number(a.score)),
      Number(quiz.passing_score),
    ),
    items,
  };
}
