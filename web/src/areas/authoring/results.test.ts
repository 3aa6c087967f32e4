import { describe, expect, it } from "vitest";
import type { ItemAnalysis, LearningGainReport } from "../../api/results";
import { difficultySeries, distributionSeries, prePostAverages } from "./results";

const aggregate = {
  learners: 0,
  atCeiling: 0,
  included: 0,
  averageGain: null,
  classGain: null,
  band: null,
  bands: { high: 0, medium: 0, low: 0 },
};

function learner(
  name: string,
  cohortId: string | null,
  pre: number,
  post: number,
  skills: Array<[string, number, number]>,
): LearningGainReport["learners"][number] {
  return {
    enrollmentId: `e-${name}`,
    userId: `u-${name}`,
    courseId: "c",
    cohortId,
    preQuizId: "pre",
    preAttemptId: `pa-${name}`,
    preScore: pre,
    postQuizId: "post",
    postAttemptId: `po-${name}`,
    postScore: post,
    scoreImprovement: post - pre,
    percentageGain: null,
    normalizedGain: null,
    band: null,
    atCeiling: pre === 100,
    skillGains: skills.map(([skillId, preScore, postScore]) => ({
      skillId,
      preScore,
      postScore,
      improvement: postScore - preScore,
      normalizedGain: null,
    })),
    calculatedAt: "2026-01-01T00:00:00.000Z",
    name,
    email: `${name}@example.test`,
  };
}

describe("results page data", () => {
  it("averages pre- and post-test scores overall, per cohort and per skill", () => {
    const report: LearningGainReport = {
      course: { ...aggregate, learners: 3, averageGain: 0.75 },
      cohorts: [
        { ...aggregate, cohortId: "k1", name: "Spring", averageGain: 1 },
        { ...aggregate, cohortId: null, name: null, averageGain: 0.5 },
      ],
      skills: [
        { ...aggregate, skillId: "net", averageGain: 1 },
        { ...aggregate, skillId: "sec", averageGain: 0.5 },
      ],
      learners: [
        learner("Ada", "k1", 40, 100, [
          ["net", 66.67, 100],
          ["sec", 0, 100],
        ]),
        learner("Ben", null, 100, 100, [
          ["net", 100, 100],
          ["sec", 100, 100],
        ]),
        learner("Cy", null, 20, 60, [
          ["net", 33.33, 100],
          ["sec", 0, 0],
        ]),
      ],
    };
    const averages = prePostAverages(report);
    expect(averages.course).toMatchObject({ learners: 3, pre: 53.33, post: 86.67 });
    expect(averages.cohorts).toEqual([
      { key: "k1", name: "Spring", learners: 1, pre: 40, post: 100, averageGain: 1 },
      { key: "none", name: null, learners: 2, pre: 60, post: 80, averageGain: 0.5 },
    ]);
    expect(averages.skills.map((s) => [s.key, s.learners, s.pre, s.post])).toEqual([
      ["net", 3, 66.67, 100],
      ["sec", 3, 33.33, 66.67],
    ]);
    expect(
      prePostAverages({ ...report, learners: [], cohorts: [], skills: [] }).course,
    ).toMatchObject({ learners: 0, pre: null, post: null });
  });

  it("labels the score buckets and orders questions by position", () => {
    const distribution: ItemAnalysis["scoreDistribution"] = {
      attempts: 3,
      mean: 50,
      median: 50,
      stdDev: 10,
      min: 40,
      max: 60,
      passRate: 33.33,
      buckets: Array.from({ length: 10 }, (_, i) => ({
        from: i * 10,
        to: i === 9 ? 100 : i * 10 + 9.99,
        count: i === 4 ? 2 : i === 6 ? 1 : 0,
      })),
    };
    const series = distributionSeries(distribution);
    expect(series.categories[0]).toBe("0–10");
    expect(series.categories[9]).toBe("90–100");
    expect(series.counts).toEqual([0, 0, 0, 0, 2, 0, 1, 0, 0, 0]);

    const item = (position: number, difficulty: number | null) => ({
      questionId: `q${position}`,
      position,
      type: "true-false",
      text: `Statement ${position}`,
      responses: 3,
      difficulty,
      discrimination: null,
      pointBiserial: null,
      outcomes: {},
      options: null,
      flags: [],
    });
    expect(difficultySeries([item(2, 0.5), item(1, 0.9), item(3, null)])).toEqual({
      categories: ["Q1", "Q2", "Q3"],
      values: [0.9, 0.5, null],
    });
  });
});
