import { describe, expect, it } from "vitest";
import type { AiSuggestion } from "../../api/grading";
import { type GradeFacts, gradeSource, gradeSourceText } from "./gradeSource";

const ai = (decision: AiSuggestion["decision"], confidence: number | null = 0.82) =>
  ({
    grader: "local-rubric",
    points: 2,
    confidence,
    decision,
    feedback: null,
    criteria: null,
  }) as const;
const facts = (over: Partial<GradeFacts>): GradeFacts => ({
  outcome: "correct",
  grader: null,
  manualOverride: false,
  flaggedForReview: false,
  ai: null,
  ...over,
});

describe("how a grade was given", () => {
  it("tells the rules, the AI grader, a person and an override apart", () => {
    expect(gradeSource(facts({ outcome: "needs-grading", ai: ai("manual") }))).toEqual({
      kind: "waiting",
    });
    expect(gradeSource(facts({}))).toEqual({ kind: "auto" });
    expect(gradeSource(facts({ outcome: "ungraded" }))).toEqual({ kind: "none" });
    expect(
      gradeSource(facts({ outcome: "partial", ai: ai("graded-flagged"), flaggedForReview: true })),
    ).toEqual({
      kind: "ai",
      confidence: 0.82,
      flagged: true,
    });
    // A person who took the AI's suggestion graded it; one who changed it overrode it.
    expect(
      gradeSource(
        facts({ outcome: "partial", ai: ai("manual"), grader: { name: "Ines Lovelace" } }),
      ),
    ).toEqual({ kind: "person", name: "Ines Lovelace" });
    expect(
      gradeSource(
        facts({ manualOverride: true, ai: ai("graded"), grader: { name: "Ines Lovelace" } }),
      ),
    ).toEqual({ kind: "override", name: "Ines Lovelace" });
  });

  it("says it with the confidence as a percentage and the grader's name", () => {
    expect(gradeSourceText({ kind: "ai", confidence: 0.456, flagged: false })).toEqual({
      key: "aiConfidence",
      values: { percent: 46 },
    });
    expect(gradeSourceText({ kind: "ai", confidence: null, flagged: true })).toEqual({
      key: "aiFlagged",
      values: {},
    });
    expect(gradeSourceText({ kind: "override", name: "Ines" })).toEqual({
      key: "overrideNamed",
      values: { name: "Ines" },
    });
    expect(gradeSourceText({ kind: "person", name: null })).toEqual({ key: "person", values: {} });
    expect(gradeSourceText({ kind: "auto" })).toEqual({ key: "auto", values: {} });
  });
});
