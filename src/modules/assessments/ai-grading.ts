import { z } from "zod";
import type { Config } from "../../config.js";
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

const chatReply = z.object({
  criteria: z
    .array(
      z.object({ index: z.number().int().min(0), met: z.boolean(), points: z.number().min(0) }),
    )
    .default([]),
  points: z.number().min(0).optional(),
  confidence: z.number().min(0).max(1),
  feedback: z.string().max(5000).default(""),
});

/**
 * A grader backed by any OpenAI-compatible chat-completions API (`AI_GRADER=openai`). The model
 * is asked for a JSON verdict per rubric criterion; points are clamped to what each criterion
 * is worth, so a model cannot award more than the rubric allows.
 */
export class ChatCompletionsGrader implements GraderProvider {
  readonly name: string;

  constructor(
    private readonly options: {
      url: string;
      model: string;
      apiKey: string;
      timeoutMs?: number;
    },
  ) {
    this.name = `chat:${options.model}`;
  }

  async grade(request: GradingRequest): Promise<AiGrade> {
    const response = await fetch(`${this.options.url}/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        "content-type": "application/json",
      },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      body: JSON.stringify({
        model: this.options.model,
        temperature: 0,
        response_format: { type: "json_object" },
        messages: [
          {
            role: "system",
            content:
              "You grade a learner's open answer against a rubric. Reply with JSON only: " +
              '{"criteria":[{"index":0,"met":true,"points":2}],"confidence":0.0-1.0,"feedback":"…"}. ' +
              "One entry per rubric criterion (by index), points at most the criterion's points; " +
              "confidence is how sure you are of the whole grade; feedback speaks to the learner.",
          },
          {
            role: "user",
            content: JSON.stringify({
              question: request.question,
              maxPoints: request.maxPoints,
              rubric: request.rubric.map((c, index) => ({
                index,
                description: c.description,
                points: c.points,
              })),
              answer: request.answer,
            }),
          },
        ],
      }),
    });
    if (!response.ok)
      throw new Error(`grader API answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as {
      choices?: Array<{ message?: { content?: string } }>;
    };
    const content = body.choices?.[0]?.message?.content;
    if (!content) throw new Error("grader API gave no answer");
    const verdict = chatReply.parse(JSON.parse(content));
    const criteria = request.rubric.map((c, index) => {
      const given = verdict.criteria.find((v) => v.index === index);
      const points = Math.min(c.points, given?.points ?? 0);
      return { description: c.description, met: !!given?.met, points };
    });
    const earned = request.rubric.length
      ? criteria.reduce((n, c) => n + c.points, 0)
      : Math.min(request.maxPoints, verdict.points ?? 0);
    return {
      points: Math.round(Math.min(earned, request.maxPoints) * 100) / 100,
      confidence: verdict.confidence,
      feedback: verdict.feedback,
      criteria,
    };
  }
}

/** The configured grader, or null when AI grading is off. */
export function createGrader(config: Config["assessments"]): GraderProvider | null {
  if (config.grader === "off") return null;
  if (config.grader === "openai" && config.openai) return new ChatCompletionsGrader(config.openai);
  return new LocalRubricGrader();
}
