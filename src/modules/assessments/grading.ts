/**
 * Automatic grading of every question type of seeds 001 and 002, as pure functions: the attempt
 * service stores answers and asks here what they are worth. Essays (open answers) are left for
 * manual (or AI-assisted) grading; rating scales are survey questions and carry no points.
 */

export type WhitespaceRule = "exact" | "trim" | "collapse" | "ignore";

export interface TextRule {
  /** Answers that count as right. */
  accepted: string[];
  caseSensitive?: boolean;
  /** exact; trim the ends; collapse inner runs to one space (and trim); ignore all whitespace. */
  whitespace?: WhitespaceRule;
}

interface Scored {
  points: number;
  /** Taken off for a wrong answer (never for a blank one). */
  negativePoints?: number;
}

export type GradableQuestion =
  | (Scored & { type: "multiple-choice"; options: Array<{ id: string; correct: boolean }> })
  | (Scored & {
      type: "multiple-select";
      options: Array<{ id: string; correct: boolean }>;
      /** Credit for part of the right options, less for wrong ones; otherwise all or nothing. */
      partialCredit?: boolean;
    })
  | (Scored & { type: "true-false"; correct: boolean })
  | (Scored & { type: "short-answer"; rule: TextRule })
  | (Scored & { type: "fill-blank"; blanks: TextRule[] })
  | (Scored & { type: "matching"; pairs: Array<{ left: string; right: string }> })
  | (Scored & { type: "essay" })
  | { type: "rating-scale"; points?: 0; min: number; max: number };

export interface Answer {
  selected?: string[];
  value?: boolean;
  text?: string;
  blanks?: string[];
  matches?: Record<string, string>;
  rating?: number;
}

export type Outcome =
  | "correct"
  | "partial"
  | "incorrect"
  | "unanswered"
  | "needs-grading"
  | "ungraded";

export interface Grade {
  outcome: Outcome;
  /** Points earned, exact (partial credit is not rounded); negative when marked down. */
  points: number;
  maxPoints: number;
}

/**
 * A sum or ratio without the noise of binary fractions (0.7 × 10 adding up to 6.999…): nine
 * decimals, far finer than any score is shown, so 2/3 stays 0.666666667 and not 0.67.
 */
export const exact = (n: number) => Math.round(n * 1e9) / 1e9;

/** Two decimals: how points and scores are shown, never how they are added up. */
export const forDisplay = (n: number) => Math.round(n * 100) / 100;

export function normalize(text: string, rule: Pick<TextRule, "caseSensitive" | "whitespace">) {
  let out = text;
  switch (rule.whitespace ?? "collapse") {
    case "trim":
      out = out.trim();
      break;
    case "collapse":
      out = out.trim().replace(/\s+/g, " ");
      break;
    case "ignore":
      out = out.replace(/\s+/g, "");
      break;
    default:
      break;
  }
  out = out.normalize("NFC");
  return rule.caseSensitive ? out : out.toLocaleLowerCase();
}

export function textMatches(text: string, rule: TextRule): boolean {
  const given = normalize(text, rule);
  return rule.accepted.some((a) => normalize(a, rule) === given);
}

function whole(q: Scored, right: boolean): Grade {
  return right
    ? { outcome: "correct", points: q.points, maxPoints: q.points }
    : {
        outcome: "incorrect",
        points: q.negativePoints ? -q.negativePoints : 0,
        maxPoints: q.points,
      };
}

function fraction(q: Scored, share: number): Grade {
  if (share >= 1) return { outcome: "correct", points: q.points, maxPoints: q.points };
  if (share <= 0) return whole(q, false);
  return { outcome: "partial", points: q.points * share, maxPoints: q.points };
}

const blank = (maxPoints: number): Grade => ({ outcome: "unanswered", points: 0, maxPoints });

/** What one answer to one question is worth. */
export function gradeAnswer(question: GradableQuestion, answer: Answer | null | undefined): Grade {
  switch (question.type) {
    case "rating-scale": {
      const r = answer?.rating;
      if (r === undefined || r === null) return blank(0);
      return { outcome: "ungraded", points: 0, maxPoints: 0 };
    }
    case "essay":
      return answer?.text?.trim()
        ? { outcome: "needs-grading", points: 0, maxPoints: question.points }
        : blank(question.points);
    case "true-false":
      if (typeof answer?.value !== "boolean") return blank(question.points);
      return whole(question, answer.value === question.correct);
    case "multiple-choice": {
      const chosen = answer?.selected ?? [];
      if (!chosen.length) return blank(question.points);
      const right = question.options.find((o) => o.correct)?.id;
      return whole(question, chosen.length === 1 && chosen[0] === right);
    }
    case "multiple-select": {
      const chosen = new Set(answer?.selected ?? []);
      if (!chosen.size) return blank(question.points);
      const right = question.options.filter((o) => o.correct).map((o) => o.id);
      const wrong = question.options.filter((o) => !o.correct).map((o) => o.id);
      const hits = right.filter((id) => chosen.has(id)).length;
      const misses = wrong.filter((id) => chosen.has(id)).length;
      if (!question.partialCredit) return whole(question, hits === right.length && misses === 0);
      // Each right option earns its share; each wrong one chosen takes a share away.
      return fraction(question, right.length ? (hits - misses) / right.length : 0);
    }
    case "short-answer":
      if (!answer?.text?.trim()) return blank(question.points);
      return whole(question, textMatches(answer.text, question.rule));
    case "fill-blank": {
      const given = answer?.blanks ?? [];
      if (!given.some((g) => g?.trim())) return blank(question.points);
      const right = question.blanks.filter((rule, i) => textMatches(given[i] ?? "", rule)).length;
      return fraction(question, right / question.blanks.length);
    }
    case "matching": {
      const matches = answer?.matches ?? {};
      if (!Object.keys(matches).length) return blank(question.points);
      const right = question.pairs.filter((p) => matches[p.left] === p.right).length;
      return fraction(question, right / question.pairs.length);
    }
  }
}

export interface AttemptScore {
  /** Sum of the exact points, never below zero however much negative marking took off. */
  points: number;
  maxPoints: number;
  /**
   * 0–100, exact (not rounded: the pass decision is taken on it; round only to show it); null
   * when nothing is graded by points (a pure survey).
   */
  percent: number | null;
  /** Essays still waiting for a grader. */
  pendingManual: number;
}

/** Totals an attempt's grades (manual grades included as given), adding the exact values. */
export function scoreAttempt(grades: Grade[]): AttemptScore {
  const maxPoints = exact(grades.reduce((n, g) => n + g.maxPoints, 0));
  const points = Math.max(0, exact(grades.reduce((n, g) => n + g.points, 0)));
  return {
    points,
    maxPoints,
    percent: maxPoints ? exact((points / maxPoints) * 100) : null,
    pendingManual: grades.filter((g) => g.outcome === "needs-grading").length,
  };
}
