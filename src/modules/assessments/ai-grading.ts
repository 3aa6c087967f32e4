import { normalize } from "./grading.js";

/**
 * AI-assisted grading of open answers (seed 001 §AI Grading Confidence Thresholds), behind a
 * small provider interface: an LLM-backed grader can be plugged in; the local one below is
 * deterministic, for tests and the demo.
 */

export interface RubricCriterion {
  description: string;
  points: number;
  /** Words or phrases whose presence shows the criterion is met (local grader). */
  keywords: string[];
}

export interface GradingRequest {
  question: string;
  answer: string;
  maxPoints: number;
  rubric: RubricCriterion[];
}

export interface AiGrade {
  points: number;
  /** 0–1: how sure the grader is. */
  confidence: number;
  feedback: string;
  criteria: Array<{ description: string; met: boolean; points: number }>;
}

export interface GraderProvider {
  readonly name: string;
  grade(request: GradingRequest): Promise<AiGrade>;
}

export type AiDecision = "graded" | "graded-flagged" | "manual";

/** ≥ 0.9 graded; 0.7–0.9 graded and flagged for an instructor's review; < 0.7 left to a person. */
export function decide(confidence: number): AiDecision {
  if (confidence >= 0.9) return "graded";
  if (confidence >= 0.7) return "graded-flagged";
  return "manual";
}

/**
 * Scores each rubric criterion by its keywords. It is surest when an answer clearly meets all
 * criteria or none, least sure half-way, and less sure of very short answers.
 */
export class LocalRubricGrader implements GraderProvider {
  readonly name = "local-rubric";

  async grade(request: GradingRequest): Promise<AiGrade> {
    const text = ` ${normalize(request.answer, { whitespace: "collapse" })} `;
    const criteria = request.rubric.map((c) => {
      const met = c.keywords.some((k) => text.includes(normalize(k, { whitespace: "collapse" })));
      return { description: c.description, met, points: met ? c.points : 0 };
    });
    const total = request.rubric.reduce((n, c) => n + c.points, 0) || 1;
    const earned = criteria.reduce((n, c) => n + c.points, 0);
    const share = earned / total;
    const words = request.answer.trim().split(/\s+/).filter(Boolean).length;
    const confidence = Math.max(
      0,
      Math.round((0.5 + Math.abs(share - 0.5) - (words < 8 ? 0.2 : 0)) * 100) / 100,
    );
    const points = Math.round(share * request.maxPoints * 100) / 100;
    const missing = criteria.filter((c) => !c.met).map((c) => c.description);
    return {
      points,
      confidence,
      feedback: missing.length
        ? `Not yet shown: ${missing.join("; ")}.`
        : "Every point of the rubric is covered.",
      criteria,
    };
  }
}
