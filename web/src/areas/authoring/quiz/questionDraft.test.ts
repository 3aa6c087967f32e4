import { describe, expect, it } from "vitest";
import { blankQuestion, markedBlanks, nextId, QUESTION_TYPES, toDefinition } from "./questionDraft";

describe("questions being written", () => {
  it("names new options after the letters not yet taken", () => {
    expect(nextId([])).toBe("a");
    expect(nextId(["a", "b", "d"])).toBe("c");
    const alphabet = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
    expect(nextId(alphabet)).toBe("o27");
    expect(nextId([...alphabet, "o27"])).toBe("o28");
  });

  it("reads the blanks a text marks, each once and in order", () => {
    expect(markedBlanks("Keep {{2}} hands in the {{1}}, {{2}}.")).toEqual([1, 2]);
    expect(markedBlanks("No blanks")).toEqual([]);
  });

  it("starts every type with what its form edits", () => {
    for (const type of QUESTION_TYPES) expect(blankQuestion(type).type).toBe(type);
    expect(blankQuestion("multiple-choice").options).toHaveLength(2);
    expect(blankQuestion("rating-scale")).toMatchObject({ points: 0, min: 1, max: 5 });
  });

  it("gives an essay its rubric's points and drops an empty explanation", () => {
    const essay = {
      ...blankQuestion("essay"),
      text: "  Describe it. ",
      explanation: "  ",
      rubric: [
        { description: "A", points: 2 },
        { description: "B", points: 1.5 },
      ],
    };
    const definition = toDefinition(essay) as Record<string, unknown>;
    expect(definition.points).toBe(3.5);
    expect(definition.text).toBe("Describe it.");
    expect("explanation" in definition).toBe(false);
    // Without a rubric the points typed stay.
    expect(
      (toDefinition({ ...blankQuestion("essay"), text: "x" }) as { points: number }).points,
    ).toBe(4);
  });
});
