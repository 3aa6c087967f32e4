import { numberOrNull } from "../../db/values.js";
import type { Ctx } from "../../platform/context.js";
import { privacyForViewer, restrictionsForViewer } from "../access/learner-privacy.js";
import type { EnrollmentRow } from "../enrollment/schema.js";
import { aggregateGain, normalizedGain } from "./gain.js";
import type { QuestionDefinition } from "./questions.js";
import type { LearningGainRow, SkillGain } from "./schema.js";

/**
 * Learning gain of seed 001 (learningGainAnalytics), kept per enrollment: the learner's first
 * graded pre-course attempt against their latest graded post-course attempt, overall and per
 * skill (the skill ids on the questions), recomputed whenever either side is graded.
 */

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Percent earned per skill in one attempt, from its answers and their questions' skill ids. */
async function skillScores(ctx: Ctx, attemptId: string): Promise<Map<string, number>> {
  const rows = await ctx.db
    .selectFrom("quiz_answers as a")
    .innerJoin("quiz_questions as q", "q.id", "a.quiz_question_id")
    .select(["a.points", "a.max_points", "q.definition"])
    .where("a.attempt_id", "=", attemptId)
    .execute();
  const sums = new Map<string, { earned: number; max: number }>();
  for (const row of rows) {
    const max = Number(row.max_points ?? 0);
    if (!max) continue;
    for (const skill of (row.definition as QuestionDefinition).skillIds ?? []) {
      const s = sums.get(skill) ?? { earned: 0, max: 0 };
      s.earned += Math.max(0, Number(row.points ?? 0));
      s.max += max;
      sums.set(skill, s);
    }
  }
  return new Map([...sums].map(([k, v]) => [k, round2((v.earned / v.max) * 100)]));
}

export async function refreshLearningGain(
  ctx: Ctx,
  enrollment: EnrollmentRow,
): Promise<LearningGainRow | null> {
  const graded = await ctx.db
    .selectFrom("quiz_attempts as a")
    .innerJoin("quizzes as q", "q.id", "a.quiz_id")
    .select(["a.id", "a.quiz_id", "a.score", "a.graded_at", "q.kind"])
    .where("a.enrollment_id", "=", enrollment.id)
    .where("a.status", "=", "graded")
    .where("a.score", "is not", null)
    .where("q.kind", "in", ["pre-course", "post-course"])
    .where("q.deleted_at", "is", null)
    .orderBy("a.graded_at")
    .execute();
  const pre = graded.find((a) => a.kind === "pre-course");
  const post = graded.filter((a) => a.kind === "post-course").at(-1);
  if (!pre || !post) return null;
  const preScore = Number(pre.score);
  const postScore = Number(post.score);
  const gain = normalizedGain(preScore, postScore);
  const [preSkills, postSkills] = await Promise.all([
    skillScores(ctx, pre.id),
    skillScores(ctx, post.id),
  ]);
  const skillGains: SkillGain[] = [...preSkills.keys()]
    .filter((skill) => postSkills.has(skill))
    .sort()
    .map((skillId) => {
      const before = preSkills.get(skillId) ?? 0;
      const after = postSkills.get(skillId) ?? 0;
      return {
        skillId,
        preScore: before,
        postScore: after,
        improvement: round2(after - before),
        normalizedGain: normalizedGain(before, after).gain,
      };
    });
  const values = {
    user_id: enrollment.user_id,
    course_id: enrollment.course_id,
    cohort_id: enrollment.cohort_id,
    organization_id: enrollment.organization_id,
    pre_quiz_id: pre.quiz_id,
    pre_attempt_id: pre.id,
    pre_score: preScore,
    post_quiz_id: post.quiz_id,
    post_attempt_id: post.id,
    post_score: postScore,
    score_improvement: gain.rawGain,
    percentage_gain: preScore > 0 ? round2(((postScore - preScore) / preScore) * 100) : null,
    normalized_gain: gain.gain,
    band: gain.band,
    skill_gains: JSON.stringify(skillGains),
    calculated_at: ctx.clock.now(),
  };
  return ctx.db
    .insertInto("learning_gains")
    .values({ enrollment_id: enrollment.id, ...values })
    .onConflict((oc) => oc.column("enrollment_id").doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function presentGain(row: LearningGainRow) {
  return {
    enrollmentId: row.enrollment_id,
    userId: row.user_id,
    courseId: row.course_id,
    cohortId: row.cohort_id,
    preQuizId: row.pre_quiz_id,
    preAttemptId: row.pre_attempt_id,
    preScore: Number(row.pre_score),
    postQuizId: row.post_quiz_id,
    postAttemptId: row.post_attempt_id,
    postScore: Number(row.post_score),
    scoreImprovement: Number(row.score_improvement),
    percentageGain: numberOrNull(row.percentage_gain),
    normalizedGain: numberOrNull(row.normalized_gain),
    band: row.band,
    atCeiling: Number(row.pre_score) === 100,
    skillGains: row.skill_gains,
    calculatedAt: row.calculated_at.toISOString(),
  };
}

/**
 * One enrollment's learning gain, null until both scores are graded; a gain is made of scores,
 * so it is null for others when the learner keeps their scores from them (docs/privacy.md).
 */
export async function enrollmentGain(ctx: Ctx, enrollment: EnrollmentRow) {
  const privacy = await privacyForViewer(ctx, [enrollment.user_id], enrollment.organization_id);
  if (privacy.hides(enrollment.user_id, "scores")) return null;
  const row = await ctx.db
    .selectFrom("learning_gains")
    .selectAll()
    .where("enrollment_id", "=", enrollment.id)
    .executeTakeFirst();
  return row ? presentGain(row) : null;
}

/**
 * A course's learning gain: every learner with both a pre- and a post-course score, the course
 * aggregate (mean of gains and Hake's class gain), per cohort and per skill; without the
 * learners who keep their scores from the caller.
 */
export async function courseGainReport(ctx: Ctx, courseId: string) {
  const all = await ctx.db
    .selectFrom("learning_gains as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .leftJoin("cohorts as c", "c.id", "g.cohort_id")
    .selectAll("g")
    .select(["u.first_name", "u.last_name", "u.email", "c.name as cohort_name"])
    .where("g.course_id", "=", courseId)
    .orderBy("u.last_name")
    .orderBy("u.first_name")
    .execute();
  // Gains are scores: learners who keep their scores from the caller, or whose processing is
  // restricted in the enrollment's organization, are left out of the list and of every average
  // (docs/privacy.md); learning gain is not a grading view.
  const privacy = await privacyForViewer(
    ctx,
    all.map((r) => r.user_id),
  );
  const restriction = await restrictionsForViewer(
    ctx,
    all.map((r) => ({ userId: r.user_id, organizationId: r.organization_id })),
  );
  const rows = all.filter(
    (r) =>
      !privacy.hides(r.user_id, "scores") && !restriction.restricted(r.user_id, r.organization_id),
  );
  const pairs = (list: typeof rows) =>
    list.map((r) => ({ pre: Number(r.pre_score), post: Number(r.post_score) }));
  const cohorts = [...new Set(rows.map((r) => r.cohort_id))];
  const skills = [...new Set(rows.flatMap((r) => r.skill_gains.map((s) => s.skillId)))].sort();
  return {
    course: aggregateGain(pairs(rows)),
    cohorts: cohorts.map((cohortId) => {
      const own = rows.filter((r) => r.cohort_id === cohortId);
      return { cohortId, name: own[0]?.cohort_name ?? null, ...aggregateGain(pairs(own)) };
    }),
    skills: skills.map((skillId) => ({
      skillId,
      ...aggregateGain(
        rows.flatMap((r) =>
          r.skill_gains
            .filter((s) => s.skillId === skillId)
            .map((s) => ({ pre: s.preScore, post: s.postScore })),
        ),
      ),
    })),
    learners: rows.map((r) => ({
      ...presentGain(r),
      name: `${r.first_name} ${r.last_name}`.trim(),
      email: r.email,
    })),
  };
}
