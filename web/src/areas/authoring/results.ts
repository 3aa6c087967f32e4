import type { ItemAnalysis, LearningGainReport } from "../../api/results";

/** Pre- and post-course averages of a group of learners. */
export interface PrePost {
  key: string;
  /** The group's name; null for learners in no cohort (the page names them). */
  name: string | null;
  learners: number;
  pre: number | null;
  post: number | null;
  averageGain: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const mean = (xs: number[]) =>
  xs.length ? round2(xs.reduce((a, b) => a + b, 0) / xs.length) : null;

/**
 * The report's pre- and post-course averages: the API gives each group's gains, not its mean
 * scores, so they are averaged here from the learners' pairs (every learner with both scores,
 * the ones at the ceiling too), overall, per cohort (in the report's order) and per skill.
 */
export function prePostAverages(report: LearningGainReport): {
  course: PrePost;
  cohorts: PrePost[];
  skills: PrePost[];
} {
  const group = (
    key: string,
    name: string | null,
    pairs: Array<{ pre: number; post: number }>,
    averageGain: number | null,
  ): PrePost => ({
    key,
    name,
    learners: pairs.length,
    pre: mean(pairs.map((p) => p.pre)),
    post: mean(pairs.map((p) => p.post)),
    averageGain,
  });
  const pairs = (learners: LearningGainReport["learners"]) =>
    learners.map((l) => ({ pre: l.preScore, post: l.postScore }));
  return {
    course: group("course", null, pairs(report.learners), report.course.averageGain),
    cohorts: report.cohorts.map((c) =>
      group(
        c.cohortId ?? "none",
        c.name,
        pairs(report.learners.filter((l) => l.cohortId === c.cohortId)),
        c.averageGain,
      ),
    ),
    skills: report.skills.map((s) =>
      group(
        s.skillId,
        s.skillId,
        report.learners.flatMap((l) =>
          l.skillGains
            .filter((g) => g.skillId === s.skillId)
            .map((g) => ({ pre: g.preScore, post: g.postScore })),
        ),
        s.averageGain,
      ),
    ),
  };
}

/** The score distribution's buckets as chart categories ("0–10") and their counts. */
export function distributionSeries(distribution: ItemAnalysis["scoreDistribution"]) {
  return {
    categories: distribution.buckets.map((b) => `${b.from}–${Math.ceil(b.to)}`),
    counts: distribution.buckets.map((b) => b.count),
  };
}

/** Each question's difficulty (share of its points earned, 0–1), by position ("Q1"). */
export function difficultySeries(items: ItemAnalysis["items"]) {
  const sorted = [...items].sort((a, b) => a.position - b.position);
  return {
    categories: sorted.map((item) => `Q${item.position}`),
    values: sorted.map((item) => item.difficulty),
  };
}
