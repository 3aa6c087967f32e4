import type { QuestionDefinition } from "../../../api/quizAuthoring";

export const QUESTION_TYPES = [
  "multiple-choice",
  "multiple-select",
  "true-false",
  "short-answer",
  "fill-blank",
  "matching",
  "essay",
  "rating-scale",
] as const satisfies readonly QuestionDefinition["type"][];

export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A question being written: the definition's fields, loosely typed while the form edits it. */
export type Draft = Record<string, unknown> & { type: QuestionType; text: string };

/** The next free option or pair id ("a", "b", … then "o27"). */
export function nextId(taken: readonly string[]): string {
  for (let i = 0; i < 26; i += 1) {
    const id = String.fromCharCode(97 + i);
    if (!taken.includes(id)) return id;
  }
  let n = 27;
  while (taken.includes(`o${n}`)) n += 1;
  return `o${n}`;
}

/** What a new question of each type starts with. */
export function blankQuestion(type: QuestionType): Draft {
  const base = { type, text: "", points: 1 };
  switch (type) {
    case "multiple-choice":
    case "multiple-select":
      return {
        ...base,
        options: [
          { id: "a", text: "", correct: true },
          { id: "b", text: "", correct: false },
        ],
      };
    case "true-false":
      return { ...base, correct: true };
    case "short-answer":
      return { ...base, answer: { accepted: [], caseSensitive: false } };
    case "fill-blank":
      return { ...base, blanks: [{ accepted: [] }] };
    case "matching":
      return {
        ...base,
        pairs: [
          { left: { id: "l1", text: "" }, right: { id: "r1", text: "" } },
          { left: { id: "l2", text: "" }, right: { id: "r2", text: "" } },
        ],
        distractors: [],
      };
    case "essay":
      return { ...base, points: 4, rubric: [] };
    case "rating-scale":
      return { ...base, points: 0, min: 1, max: 5 };
  }
}

/** The blanks `{{1}}`, `{{2}}` … a fill-in-the-blank text marks, in number order. */
export function markedBlanks(text: string): number[] {
  return [...new Set([...text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1])))].sort(
    (a, b) => a - b,
  );
}

/** An essay's points are its rubric's when it has one (the server checks they add up). */
export function toDefinition(draft: Draft): QuestionDefinition {
  const clean: Record<string, unknown> = { ...draft, text: draft.text.trim() };
  if (draft.type === "essay") {
    const rubric = (draft.rubric as Array<{ points: number }> | undefined) ?? [];
    if (rubric.length) clean.points = rubric.reduce((n, c) => n + Number(c.points || 0), 0);
  }
  if (typeof clean.explanation === "string" && !clean.explanation.trim()) delete clean.explanation;
  return clean as QuestionDefinition;
}
