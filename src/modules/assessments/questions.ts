import { z } from "zod";
import type { GradableQuestion } from "./grading.js";

/**
 * How a question is written down, for every type of seeds 001 and 002: the one shape the
 * question bank, quiz questions and the JSON import/export share. `validateQuestion` adds the
 * rules a schema cannot say (exactly one right option, unique ids, a blank per `{{n}}`), and
 * `toGradable` hands the answer key to the grading rules.
 */

const option = z.object({
  id: z.string().trim().min(1).max(40),
  text: z.string().trim().min(1).max(2000),
  correct: z.boolean().default(false),
  /** Why this option is right or wrong, shown when answers are revealed. */
  feedback: z.string().trim().max(2000).optional(),
});

const textRule = z.object({
  accepted: z.array(z.string().min(1).max(500)).min(1).max(50),
  caseSensitive: z.boolean().default(false),
  whitespace: z.enum(["exact", "trim", "collapse", "ignore"]).default("collapse"),
});

const common = {
  text: z.string().trim().min(1).max(20_000),
  points: z.number().min(0).max(1000).default(1),
  negativePoints: z.number().min(0).max(1000).default(0),
  explanation: z.string().trim().max(5000).optional(),
  hints: z.array(z.string().trim().min(1).max(1000)).max(10).default([]),
  skillIds: z.array(z.string().trim().min(1).max(100)).max(3).default([]),
};

export const questionDefinition = z.discriminatedUnion("type", [
  z.object({
    ...common,
    type: z.literal("multiple-choice"),
    options: z.array(option).min(2).max(20),
  }),
  z.object({
    ...common,
    type: z.literal("multiple-select"),
    options: z.array(option).min(2).max(20),
    partialCredit: z.boolean().default(true),
  }),
  z.object({ ...common, type: z.literal("true-false"), correct: z.boolean() }),
  z.object({ ...common, type: z.literal("short-answer"), answer: textRule }),
  z.object({
    ...common,
    type: z.literal("fill-blank"),
    /** The text marks blanks as {{1}}, {{2}}, …; one rule per blank, in order. */
    blanks: z.array(textRule).min(1).max(20),
  }),
  z.object({
    ...common,
    type: z.literal("matching"),
    pairs: z
      .array(
        z.object({
          left: z.object({ id: z.string().min(1).max(40), text: z.string().min(1).max(1000) }),
          right: z.object({ id: z.string().min(1).max(40), text: z.string().min(1).max(1000) }),
        }),
      )
      .min(2)
      .max(20),
    /** Extra right-hand items that match nothing. */
    distractors: z
      .array(z.object({ id: z.string().min(1).max(40), text: z.string().min(1).max(1000) }))
      .max(10)
      .default([]),
  }),
  z.object({
    ...common,
    type: z.literal("essay"),
    minWords: z.number().int().min(0).max(10_000).optional(),
    maxWords: z.number().int().min(1).max(20_000).optional(),
    rubric: z
      .array(
        z.object({
          description: z.string().min(1).max(500),
          points: z.number().min(0).max(1000),
          keywords: z.array(z.string().min(1).max(100)).max(50).default([]),
        }),
      )
      .max(20)
      .default([]),
  }),
  z.object({
    ...common,
    type: z.literal("rating-scale"),
    points: z.literal(0).default(0),
    min: z.number().int().min(0).max(10).default(1),
    max: z.number().int().min(1).max(10).default(5),
    labels: z.record(z.string(), z.string().max(100)).default({}),
  }),
]);

export type QuestionDefinition = z.infer<typeof questionDefinition>;
export type QuestionType = QuestionDefinition["type"];

export interface Problem {
  field: string;
  message: string;
}

function duplicates(ids: string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/** The rules beyond the schema; an empty list means the question is sound. */
export function validateQuestion(q: QuestionDefinition): Problem[] {
  const problems: Problem[] = [];
  switch (q.type) {
    case "multiple-choice":
    case "multiple-select": {
      const right = q.options.filter((o) => o.correct).length;
      if (q.type === "multiple-choice" && right !== 1)
        problems.push({
          field: "options",
          message: "A multiple-choice question has exactly one right option",
        });
      if (q.type === "multiple-select" && right < 1)
        problems.push({ field: "options", message: "Mark at least one right option" });
      for (const id of duplicates(q.options.map((o) => o.id)))
        problems.push({ field: "options", message: `Option id ${id} is used twice` });
      break;
    }
    case "fill-blank": {
      const marks = [...q.text.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
      const expected = q.blanks.map((_, i) => i + 1);
      if (marks.length !== expected.length || !expected.every((n) => marks.includes(n)))
        problems.push({
          field: "text",
          message: `Mark each of the ${q.blanks.length} blanks in the text as {{1}} … {{${q.blanks.length}}}`,
        });
      break;
    }
    case "matching": {
      const ids = [...q.pairs.map((p) => p.left.id)];
      const rights = [...q.pairs.map((p) => p.right.id), ...q.distractors.map((d) => d.id)];
      for (const id of [...duplicates(ids), ...duplicates(rights)])
        problems.push({ field: "pairs", message: `Item id ${id} is used twice` });
      break;
    }
    case "essay":
      if (q.minWords !== undefined && q.maxWords !== undefined && q.minWords > q.maxWords)
        problems.push({ field: "minWords", message: "minWords is above maxWords" });
      if (q.rubric.length && Math.abs(q.rubric.reduce((n, c) => n + c.points, 0) - q.points) > 1e-9)
        problems.push({
          field: "rubric",
          message: "The rubric's points must add up to the question's",
        });
      break;
    case "rating-scale":
      if (q.min >= q.max) problems.push({ field: "max", message: "max must be above min" });
      break;
    default:
      break;
  }
  if (q.type !== "rating-scale" && q.negativePoints > q.points)
    problems.push({
      field: "negativePoints",
      message: "A penalty cannot exceed the question's points",
    });
  return problems;
}

/** The answer key of a question, for the grading rules. */
export function toGradable(q: QuestionDefinition): GradableQuestion {
  const scored = { points: q.points, negativePoints: q.negativePoints };
  switch (q.type) {
    case "multiple-choice":
      return {
        ...scored,
        type: q.type,
        options: q.options.map((o) => ({ id: o.id, correct: o.correct })),
      };
    case "multiple-select":
      return {
        ...scored,
        type: q.type,
        partialCredit: q.partialCredit,
        options: q.options.map((o) => ({ id: o.id, correct: o.correct })),
      };
    case "true-false":
      return { ...scored, type: q.type, correct: q.correct };
    case "short-answer":
      return { ...scored, type: q.type, rule: q.answer };
    case "fill-blank":
      return { ...scored, type: q.type, blanks: q.blanks };
    case "matching":
      return {
        ...scored,
        type: q.type,
        pairs: q.pairs.map((p) => ({ left: p.left.id, right: p.right.id })),
      };
    case "essay":
      return { ...scored, type: q.type };
    case "rating-scale":
      return { type: q.type, min: q.min, max: q.max };
  }
}

/**
 * What a learner may see of a question while answering: the text, the options without which is
 * right, the matching items shuffled apart — never the answer key, feedback or explanation.
 */
export function learnerView(q: QuestionDefinition) {
  const base = { type: q.type, text: q.text, points: q.points, hints: q.hints };
  switch (q.type) {
    case "multiple-choice":
    case "multiple-select":
      return { ...base, options: q.options.map((o) => ({ id: o.id, text: o.text })) };
    case "matching":
      return {
        ...base,
        left: q.pairs.map((p) => p.left),
        right: [...q.pairs.map((p) => p.right), ...q.distractors],
      };
    case "fill-blank":
      return { ...base, blanks: q.blanks.length };
    case "essay":
      return { ...base, minWords: q.minWords, maxWords: q.maxWords };
    case "rating-scale":
      return { ...base, min: q.min, max: q.max, labels: q.labels };
    default:
      return base;
  }
}
