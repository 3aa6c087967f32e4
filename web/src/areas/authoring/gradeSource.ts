import type { AiSuggestion } from "../../api/grading";

/** What the course team knows about how an answer got its current grade. */
export interface GradeFacts {
  outcome: string | null;
  grader: { name: string } | null;
  manualOverride: boolean;
  flaggedForReview: boolean;
  ai: AiSuggestion | null;
}

/**
 * How an answer's current grade was given: still waiting for one; not graded at all (a rating
 * scale); by the rules; by the AI grader (with its confidence, perhaps flagged for review); by a
 * person; or by a person overriding what the rules or the AI gave.
 */
export type GradeSource =
  | { kind: "waiting" }
  | { kind: "none" }
  | { kind: "auto" }
  | { kind: "ai"; confidence: number | null; flagged: boolean }
  | { kind: "person"; name: string | null }
  | { kind: "override"; name: string | null };

export function gradeSource(facts: GradeFacts): GradeSource {
  if (facts.outcome === "needs-grading") return { kind: "waiting" };
  if (facts.manualOverride) return { kind: "override", name: facts.grader?.name ?? null };
  if (facts.grader) return { kind: "person", name: facts.grader.name };
  if (facts.ai && facts.ai.decision !== "manual")
    return { kind: "ai", confidence: facts.ai.confidence, flagged: facts.flaggedForReview };
  if (facts.outcome === "ungraded") return { kind: "none" };
  return { kind: "auto" };
}

/** The i18n key (under `authoring:gradebook.how`) and values that say a grade's source. */
export function gradeSourceText(source: GradeSource): {
  key: string;
  values: Record<string, string | number>;
} {
  switch (source.kind) {
    case "ai":
      return source.confidence === null
        ? { key: source.flagged ? "aiFlagged" : "ai", values: {} }
        : {
            key: source.flagged ? "aiFlaggedConfidence" : "aiConfidence",
            values: { percent: Math.round(source.confidence * 100) },
          };
    case "person":
    case "override":
      return source.name
        ? { key: `${source.kind}Named`, values: { name: source.name } }
        : { key: source.kind, values: {} };
    default:
      return { key: source.kind, values: {} };
  }
}
