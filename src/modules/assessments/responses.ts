import { randomInt } from "node:crypto";
import { z } from "zod";
import type { QuestionDefinition } from "./questions.js";
import type { AttemptLayout } from "./schema.js";

/**
 * What a learner sends for a question, checked against the question it answers, and how an
 * attempt's questions are drawn and shuffled (once, at start, and stored).
 */

export const answerResponse = z
  .object({
    /** Option ids (multiple choice: one; multiple select: any). */
    selected: z.array(z.string().min(1).max(40)).max(20).optional(),
    /** True/false. */
    value: z.boolean().optional(),
    /** Short answer and essay. */
    text: z.string().max(50_000).optional(),
    /** Fill in the blank, in blank order. */
    blanks: z.array(z.string().max(500)).max(20).optional(),
    /** Matching: left item id → right item id. */
    matches: z.record(z.string().min(1).max(40), z.string().min(1).max(40)).optional(),
    /** Rating scale. */
    rating: z.number().int().optional(),
  })
  .strict()
  .meta({ id: "AnswerResponse" });

export type AnswerResponse = z.infer<typeof answerResponse>;

/** Why a response does not fit its question, or null when it does. */
export function responseProblem(q: QuestionDefinition, r: AnswerResponse): string | null {
  const allowed: Record<QuestionDefinition["type"], Array<keyof AnswerResponse>> = {
    "multiple-choice": ["selected"],
    "multiple-select": ["selected"],
    "true-false": ["value"],
    "short-answer": ["text"],
    essay: ["text"],
    "fill-blank": ["blanks"],
    matching: ["matches"],
    "rating-scale": ["rating"],
  };
  const extra = (Object.keys(r) as Array<keyof AnswerResponse>).filter(
    (k) => r[k] !== undefined && !allowed[q.type].includes(k),
  );
  if (extra.length) return `A ${q.type} answer carries ${allowed[q.type].join(" or ")} only`;
  switch (q.type) {
    case "multiple-choice":
    case "multiple-select": {
      const ids = new Set(q.options.map((o) => o.id));
      const chosen = r.selected ?? [];
      if (chosen.some((id) => !ids.has(id))) return "Choose among the question's options";
      if (new Set(chosen).size !== chosen.length) return "An option is chosen twice";
      if (q.type === "multiple-choice" && chosen.length > 1) return "Choose one option";
      return null;
    }
    case "fill-blank":
      return (r.blanks ?? []).length > q.blanks.length
        ? `The question has ${q.blanks.length} blanks`
        : null;
    case "matching": {
      const left = new Set(q.pairs.map((p) => p.left.id));
      const right = new Set([...q.pairs.map((p) => p.right.id), ...q.distractors.map((d) => d.id)]);
      for (const [l, rt] of Object.entries(r.matches ?? {}))
        if (!left.has(l) || !right.has(rt)) return "Match the question's items";
      return null;
    }
    case "rating-scale":
      return r.rating !== undefined && (r.rating < q.min || r.rating > q.max)
        ? `Rate from ${q.min} to ${q.max}`
        : null;
    default:
      return null;
  }
}

/** Fisher–Yates with a cryptographic source: nobody can predict an attempt's order. */
export function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A shuffle that never leaves the items in their written order (when there are two or more). */
function reordered<T>(items: readonly T[]): T[] {
  if (items.length < 2) return [...items];
  const out = shuffle(items);
  return out.every((x, i) => x === items[i]) ? [...items.slice(1), items[0] as T] : out;
}

export interface DrawSettings {
  randomizeQuestions: boolean;
  randomizeAnswers: boolean;
  questionsPerAttempt: number | null;
}

/**
 * Draws an attempt: which questions (a pool serves `questionsPerAttempt` of them, chosen at
 * random), in which order, and each question's option order. Matching items on the right are
 * always shuffled, or their order would give the pairs away.
 */
export function drawAttempt(
  questions: Array<{ id: string; definition: QuestionDefinition }>,
  settings: DrawSettings,
): { questionIds: string[]; layout: AttemptLayout } {
  let chosen = questions;
  const n = settings.questionsPerAttempt;
  if (n && n < questions.length) {
    const picked = new Set(shuffle(questions.map((q) => q.id)).slice(0, n));
    chosen = questions.filter((q) => picked.has(q.id));
  }
  if (settings.randomizeQuestions) chosen = shuffle(chosen);
  const layout: AttemptLayout = {};
  for (const q of chosen) {
    const d = q.definition;
    if ((d.type === "multiple-choice" || d.type === "multiple-select") && settings.randomizeAnswers)
      layout[q.id] = { options: shuffle(d.options.map((o) => o.id)) };
    if (d.type === "matching")
      layout[q.id] = {
        right: reordered([...d.pairs.map((p) => p.right.id), ...d.distractors.map((x) => x.id)]),
      };
  }
  return { questionIds: chosen.map((q) => q.id), layout };
}
