import { describe, expect, it } from "vitest";
import { decide, LocalRubricGrader } from "./ai-grading.js";

const rubric = [
  {
    description: "Names the risk of hallucination",
    points: 2,
    keywords: ["hallucinat", "made up"],
  },
  {
    description: "Mentions human review",
    points: 2,
    keywords: ["human review", "review by a person"],
  },
];

describe("AI-assisted grading", () => {
  it("applies seed 001's confidence thresholds", () => {
    expect(decide(0.95)).toBe("graded");
    expect(decide(0.9)).toBe("graded");
    expect(decide(0.89)).toBe("graded-flagged");
    expect(decide(0.7)).toBe("graded-flagged");
    expect(decide(0.69)).toBe("manual");
  });

  it("grades deterministically from the rubric, surest at the extremes", async () => {
    const grader = new LocalRubricGrader();
    const full = await grader.grade({
      question: "What are the risks of using an LLM for customer emails?",
      answer:
        "It can hallucinate facts that look true, so every email needs a human review before it is sent out.",
      maxPoints: 10,
      rubric,
    });
    expect(full).toMatchObject({
      points: 10,
      confidence: 1,
      feedback: "Every point of the rubric is covered.",
    });
    const again = await grader.grade({
      question: "same",
      answer:
        "It can hallucinate facts that look true, so every email needs a human review before it is sent out.",
      maxPoints: 10,
      rubric,
    });
    expect(again).toEqual(full);
    const half = await grader.grade({
      question: "q",
      answer: "The model may produce made up numbers that nobody notices in a busy week.",
      maxPoints: 10,
      rubric,
    });
    expect(half.points).toBe(5);
    expect(half.confidence).toBe(0.5);
    expect(decide(half.confidence)).toBe("manual");
    expect(half.feedback).toContain("Mentions human review");
    const terse = await grader.grade({ question: "q", answer: "No idea.", maxPoints: 10, rubric });
    expect(terse).toMatchObject({ points: 0, confidence: 0.8 });
    expect(decide(terse.confidence)).toBe("graded-flagged");
  });
});
