import { describe, expect, it } from "vitest";
import { gradeAnswer } from "./grading.js";
import { learnerView, questionDefinition, toGradable, validateQuestion } from "./questions.js";

const parse = (input: unknown) => questionDefinition.parse(input);

describe("question definitions", () => {
  it("read every type with defaults, and grade through the answer key", () => {
    const mc = parse({
      type: "multiple-choice",
      text: "2 + 2?",
      points: 2,
      options: [
        { id: "a", text: "3" },
        { id: "b", text: "4", correct: true, feedback: "Yes" },
      ],
    });
    expect(mc).toMatchObject({ negativePoints: 0, hints: [], skillIds: [] });
    expect(validateQuestion(mc)).toEqual([]);
    expect(gradeAnswer(toGradable(mc), { selected: ["b"] }).points).toBe(2);

    const blanks = parse({
      type: "fill-blank",
      text: "The {{1}} is the powerhouse of the {{2}}.",
      blanks: [{ accepted: ["mitochondrion", "mitochondria"] }, { accepted: ["cell"] }],
    });
    expect(validateQuestion(blanks)).toEqual([]);
    expect(gradeAnswer(toGradable(blanks), { blanks: ["Mitochondria", "cell"] }).outcome).toBe(
      "correct",
    );

    const matching = parse({
      type: "matching",
      text: "Match",
      points: 2,
      pairs: [
        { left: { id: "1", text: "HTTP" }, right: { id: "A", text: "80" } },
        { left: { id: "2", text: "HTTPS" }, right: { id: "B", text: "443" } },
      ],
      distractors: [{ id: "C", text: "21" }],
    });
    expect(gradeAnswer(toGradable(matching), { matches: { 1: "A", 2: "C" } }).points).toBe(1);

    const scale = parse({ type: "rating-scale", text: "How useful?" });
    expect(scale).toMatchObject({ min: 1, max: 5, points: 0 });
    expect(() => parse({ type: "rating-scale", text: "x", points: 3 })).toThrow();
    expect(() => parse({ type: "no-such-type", text: "x" })).toThrow();
  });

  it("finds the problems a schema cannot see", () => {
    expect(
      validateQuestion(
        parse({
          type: "multiple-choice",
          text: "?",
          options: [
            { id: "a", text: "x", correct: true },
            { id: "a", text: "y", correct: true },
          ],
        }),
      ).map((p) => p.message),
    ).toEqual([
      "A multiple-choice question has exactly one right option",
      "Option id a is used twice",
    ]);
    expect(
      validateQuestion(
        parse({
          type: "fill-blank",
          text: "Only {{1}} here",
          blanks: [{ accepted: ["a"] }, { accepted: ["b"] }],
        }),
      )[0]?.field,
    ).toBe("text");
    expect(
      validateQuestion(
        parse({
          type: "essay",
          text: "Discuss",
          points: 10,
          rubric: [{ description: "One", points: 4 }],
        }),
      )[0]?.field,
    ).toBe("rubric");
    expect(
      validateQuestion(
        parse({ type: "true-false", text: "?", correct: true, points: 1, negativePoints: 2 }),
      )[0]?.field,
    ).toBe("negativePoints");
    expect(
      validateQuestion(parse({ type: "rating-scale", text: "?", min: 5, max: 5 }))[0]?.field,
    ).toBe("max");
  });

  it("shows learners the question without its answer key", () => {
    const questions = [
      parse({
        type: "multiple-select",
        text: "Pick primes",
        explanation: "2 and 3 are prime",
        options: [
          { id: "a", text: "2", correct: true, feedback: "prime" },
          { id: "b", text: "4" },
          { id: "c", text: "3", correct: true },
        ],
      }),
      parse({ type: "true-false", text: "Sky is blue", correct: true, explanation: "Rayleigh" }),
      parse({ type: "short-answer", text: "Capital of France", answer: { accepted: ["Paris"] } }),
      parse({
        type: "fill-blank",
        text: "{{1}} + {{2}}",
        blanks: [{ accepted: ["secret-one"] }, { accepted: ["secret-two"] }],
      }),
    ];
    for (const q of questions) {
      const shown = JSON.stringify(learnerView(q));
      for (const leak of [
        "correct",
        "feedback",
        "explanation",
        "accepted",
        "Paris",
        "secret-",
        'prime"',
      ])
        expect(shown).not.toContain(leak);
    }
    expect(learnerView(questions[0] as never)).toEqual({
      type: "multiple-select",
      text: "Pick primes",
      points: 1,
      hints: [],
      options: [
        { id: "a", text: "2" },
        { id: "b", text: "4" },
        { id: "c", text: "3" },
      ],
    });
  });
});
