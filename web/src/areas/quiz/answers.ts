import type { AnswerResponse, ServedQuestion } from "../../api/quiz";

/** A question as the API serves it to a learner (no answer key): `learnerView` on the server. */
export interface LearnerQuestion {
  type:
    | "multiple-choice"
    | "multiple-select"
    | "true-false"
    | "short-answer"
    | "fill-blank"
    | "matching"
    | "essay"
    | "rating-scale";
  text: string;
  points: number;
  hints?: string[];
  options?: Array<{ id: string; text: string }>;
  left?: Array<{ id: string; text: string }>;
  right?: Array<{ id: string; text: string }>;
  /** Fill in the blank: how many blanks the text marks as {{1}}, {{2}}, … */
  blanks?: number;
  minWords?: number;
  maxWords?: number;
  min?: number;
  max?: number;
  labels?: Record<string, string>;
}

/** The right answer as the API reveals it once the quiz's policy allows (`answerKey`). */
export interface AnswerKey {
  explanation?: string | null;
  correctOptionIds?: string[];
  optionFeedback?: Record<string, string>;
  correct?: boolean;
  accepted?: string[];
  blanks?: string[][];
  pairs?: Record<string, string>;
  rubric?: Array<{ description: string; points: number }>;
}

export function learnerQuestion(served: ServedQuestion): LearnerQuestion | null {
  return (served.question as LearnerQuestion | null) ?? null;
}

/** Whether a response says anything (an empty one is sent as null, which clears it). */
export function isAnswered(response: AnswerResponse | null | undefined): boolean {
  if (!response) return false;
  if (response.selected && response.selected.length > 0) return true;
  if (response.value !== undefined) return true;
  if (response.text !== undefined && response.text.trim() !== "") return true;
  if (response.blanks?.some((b) => b.trim() !== "")) return true;
  if (response.matches && Object.keys(response.matches).length > 0) return true;
  return response.rating !== undefined;
}

/** The response to send: null when it says nothing. */
export function normalized(response: AnswerResponse | null): AnswerResponse | null {
  return isAnswered(response) ? response : null;
}

/** The text of a fill-in-the-blank question split around its {{n}} marks. */
export function blankParts(text: string): Array<string | number> {
  const parts: Array<string | number> = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{(\d+)\}\}/g)) {
    parts.push(text.slice(last, match.index));
    parts.push(Number(match[1]));
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** Words in an essay, as a person counts them. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}
