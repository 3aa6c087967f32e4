import { describe, expect, it } from "vitest";
import { type GradableQuestion, gradeAnswer, normalize, scoreAttempt } from "./grading.js";
import { attemptTotals } from "./results.js";

const options = [
  { id: "a", correct: true },
  { id: "b", correct: false },
  { id: "c", correct: true },
  { id: "d", correct: false },
];

describe("grading rules", () => {
  it("multiple choice: the one right option, negative marking for a wrong one, none for a blank", () => {
    const q: GradableQuestion = {
      type: "multiple-choice",
      points: 2,
      negativePoints: 1,
      options: [
        { id: "a", correct: false },
        { id: "b", correct: true },
      ],
    };
    expect(gradeAnswer(q, { selected: ["b"] })).toEqual({
      outcome: "correct",
      points: 2,
      maxPoints: 2,
    });
    expect(gradeAnswer(q, { selected: ["a"] })).toEqual({
      outcome: "incorrect",
      points: -1,
      maxPoints: 2,
    });
    expect(gradeAnswer(q, { selected: ["a", "b"] }).outcome).toBe("incorrect");
    expect(gradeAnswer(q, { selected: [] })).toEqual({
      outcome: "unanswered",
      points: 0,
      maxPoints: 2,
    });
    expect(gradeAnswer(q, null).outcome).toBe("unanswered");
  });

  it("multiple select: all or nothing, or partial credit less wrong choices, floored at the penalty", () => {
    const strict: GradableQuestion = { type: "multiple-select", points: 4, options };
    expect(gradeAnswer(strict, { selected: ["a", "c"] }).points).toBe(4);
    expect(gradeAnswer(strict, { selected: ["a"] }).points).toBe(0);
    const partial: GradableQuestion = {
      type: "multiple-select",
      points: 4,
      negativePoints: 1,
      options,
      partialCredit: true,
    };
    expect(gradeAnswer(partial, { selected: ["c", "a"] })).toMatchObject({
      outcome: "correct",
      points: 4,
    });
    expect(gradeAnswer(partial, { selected: ["a"] })).toEqual({
      outcome: "partial",
      points: 2,
      maxPoints: 4,
    });
    expect(gradeAnswer(partial, { selected: ["a", "c", "b"] })).toMatchObject({
      outcome: "partial",
      points: 2,
    });
    expect(gradeAnswer(partial, { selected: ["a", "b"] })).toMatchObject({
      outcome: "incorrect",
      points: -1,
    });
    expect(gradeAnswer(partial, { selected: ["b", "d"] })).toMatchObject({
      outcome: "incorrect",
      points: -1,
    });
    const thirds: GradableQuestion = {
      type: "multiple-select",
      points: 1,
      partialCredit: true,
      options: [
        { id: "x", correct: true },
        { id: "y", correct: true },
        { id: "z", correct: true },
      ],
    };
    // Partial credit is exact: rounding happens only when it is shown.
    expect(gradeAnswer(thirds, { selected: ["x"] }).points).toBeCloseTo(1 / 3, 12);
    expect(gradeAnswer(thirds, { selected: ["x", "y"] }).points).toBeCloseTo(2 / 3, 12);
  });

  it("true/false", () => {
    const q: GradableQuestion = {
      type: "true-false",
      points: 1,
      negativePoints: 0.5,
      correct: false,
    };
    expect(gradeAnswer(q, { value: false }).outcome).toBe("correct");
    expect(gradeAnswer(q, { value: true }).points).toBe(-0.5);
    expect(gradeAnswer(q, {}).outcome).toBe("unanswered");
  });

  it("short answers follow their case and whitespace rules", () => {
    expect(normalize("  New   York ", { whitespace: "collapse" })).toBe("new york");
    expect(normalize("  New   York ", { whitespace: "trim", caseSensitive: true })).toBe(
      "New   York",
    );
    expect(normalize("New York", { whitespace: "ignore" })).toBe("newyork");
    const lax: GradableQuestion = {
      type: "short-answer",
      points: 3,
      rule: { accepted: ["Paris", "Paris, France"] },
    };
    expect(gradeAnswer(lax, { text: "  paris " }).outcome).toBe("correct");
    expect(gradeAnswer(lax, { text: "paris,   france" }).outcome).toBe("correct");
    expect(gradeAnswer(lax, { text: "Lyon" }).outcome).toBe("incorrect");
    expect(gradeAnswer(lax, { text: "   " }).outcome).toBe("unanswered");
    const strict: GradableQuestion = {
      type: "short-answer",
      points: 1,
      rule: { accepted: ["NaCl"], caseSensitive: true, whitespace: "exact" },
    };
    expect(gradeAnswer(strict, { text: "NaCl" }).outcome).toBe("correct");
    expect(gradeAnswer(strict, { text: "nacl" }).outcome).toBe("incorrect");
    expect(gradeAnswer(strict, { text: " NaCl" }).outcome).toBe("incorrect");
    const spaced: GradableQuestion = {
      type: "short-answer",
      points: 1,
      rule: { accepted: ["H2 O"], whitespace: "ignore" },
    };
    expect(gradeAnswer(spaced, { text: "h2o" }).outcome).toBe("correct");
    // Composed and decomposed accents are the same answer.
    const accent: GradableQuestion = {
      type: "short-answer",
      points: 1,
      rule: { accepted: ["café"] },
    };
    expect(gradeAnswer(accent, { text: "cafe\u0301" }).outcome).toBe("correct");
  });

  it("fill in the blanks earns a share per blank", () => {
    const q: GradableQuestion = {
      type: "fill-blank",
      points: 3,
      blanks: [{ accepted: ["mitochondria"] }, { accepted: ["ATP"] }, { accepted: ["cell"] }],
    };
    expect(gradeAnswer(q, { blanks: ["Mitochondria", "atp", "cell"] }).outcome).toBe("correct");
    expect(gradeAnswer(q, { blanks: ["mitochondria", "glucose", ""] })).toEqual({
      outcome: "partial",
      points: 1,
      maxPoints: 3,
    });
    expect(gradeAnswer(q, { blanks: ["", ""] }).outcome).toBe("unanswered");
  });

  it("matching earns a share per right pair", () => {
    const q: GradableQuestion = {
      type: "matching",
      points: 4,
      pairs: [
        { left: "1", right: "A" },
        { left: "2", right: "B" },
        { left: "3", right: "C" },
        { left: "4", right: "D" },
      ],
    };
    expect(gradeAnswer(q, { matches: { 1: "A", 2: "B", 3: "C", 4: "D" } }).outcome).toBe("correct");
    expect(gradeAnswer(q, { matches: { 1: "A", 2: "C", 3: "B", 4: "D" } })).toMatchObject({
      outcome: "partial",
      points: 2,
    });
    expect(gradeAnswer(q, { matches: { 1: "B" } }).outcome).toBe("incorrect");
  });

  it("leaves essays for a grader and rating scales ungraded", () => {
    const essay: GradableQuestion = { type: "essay", points: 10 };
    expect(gradeAnswer(essay, { text: "My view is…" })).toEqual({
      outcome: "needs-grading",
      points: 0,
      maxPoints: 10,
    });
    expect(gradeAnswer(essay, { text: " " }).outcome).toBe("unanswered");
    const scale: GradableQuestion = { type: "rating-scale", min: 1, max: 5 };
    expect(gradeAnswer(scale, { rating: 4 })).toEqual({
      outcome: "ungraded",
      points: 0,
      maxPoints: 0,
    });
  });

  it("totals an attempt, never below zero, and counts essays still to grade", () => {
    expect(
      scoreAttempt([
        { outcome: "incorrect", points: -1, maxPoints: 1 },
        { outcome: "incorrect", points: -1, maxPoints: 1 },
        { outcome: "unanswered", points: 0, maxPoints: 2 },
      ]),
    ).toEqual({ points: 0, maxPoints: 4, percent: 0, pendingManual: 0 });
    expect(
      scoreAttempt([
        { outcome: "correct", points: 2, maxPoints: 2 },
        { outcome: "partial", points: 0.67, maxPoints: 1 },
        { outcome: "needs-grading", points: 0, maxPoints: 10 },
        { outcome: "ungraded", points: 0, maxPoints: 0 },
      ]),
    ).toMatchObject({ points: 2.67, maxPoints: 13, pendingManual: 1 });
    expect(scoreAttempt([{ outcome: "ungraded", points: 0, maxPoints: 0 }]).percent).toBeNull();
  });

  it("keeps partial credit exact, and totals and passes on the exact values", () => {
    const thirds: GradableQuestion = {
      type: "fill-blank",
      points: 1,
      blanks: [{ accepted: ["a"] }, { accepted: ["b"] }, { accepted: ["c"] }],
    };
    const twoThirds = gradeAnswer(thirds, { blanks: ["a", "b", "x"] });
    const oneThird = gradeAnswer(thirds, { blanks: ["a", "x", "x"] });
    expect(twoThirds.points).toBeCloseTo(2 / 3, 12);
    expect(oneThird.points).toBeCloseTo(1 / 3, 12);

    // Three answers worth 2/3: 2 of 3 points, 66.67 %, not 2.01 (67 %).
    const three = scoreAttempt([twoThirds, twoThirds, twoThirds]);
    expect(three.points).toBe(2);
    expect(three.percent).toBeCloseTo(200 / 3, 6);
    // Six worth 1/3: 2 of 6 points, 33.33 %, not 1.98 (33 %).
    const six = scoreAttempt(Array(6).fill(oneThird));
    expect(six.points).toBe(2);
    expect(six.percent).toBeCloseTo(100 / 3, 6);

    const rows = (grade: typeof twoThirds, n: number) =>
      Array.from({ length: n }, () => ({
        outcome: grade.outcome,
        points: grade.points,
        max_points: grade.maxPoints,
        flagged_for_review: false,
      }));
    const now = new Date("2026-03-02T09:00:00Z");
    // What is stored: the exact total, the score rounded for display, the pass on the exact %.
    expect(
      attemptTotals(rows(twoThirds, 3), { passing_score: 67 }, { graded_at: null }, now),
    ).toMatchObject({ points_earned: 2, points_possible: 3, score: 66.67, passed: false });
    expect(
      attemptTotals(rows(twoThirds, 3), { passing_score: 66.66 }, { graded_at: null }, now),
    ).toMatchObject({ passed: true });
    expect(
      attemptTotals(rows(oneThird, 6), { passing_score: 33.33 }, { graded_at: null }, now),
    ).toMatchObject({ points_earned: 2, points_possible: 6, score: 33.33, passed: true });
    // A score exactly at the pass mark passes, whatever binary fractions make of the sum.
    const tenths = Array.from({ length: 10 }, () => ({
      outcome: "partial" as const,
      points: 0.7,
      max_points: 1,
      flagged_for_review: false,
    }));
    expect(attemptTotals(tenths, { passing_score: 70 }, { graded_at: null }, now)).toMatchObject({
      points_earned: 7,
      score: 70,
      passed: true,
    });
  });
});
