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
  /** The question's word limits, when it sets them: what length the answer is expected to have. */
  minWords?: number;
  maxWords?: number;
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

/** Words (letters and digits) of a text, lower-cased. */
function wordsOf(text: string): string[] {
  return normalize(text, { whitespace: "collapse" })
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** How many of the answer's words belong to a keyword occurrence (a keyword may be a phrase). */
function keywordWords(words: string[], keywords: string[]): number {
  const marked = new Set<number>();
  for (const keyword of keywords) {
    const parts = wordsOf(keyword);
    if (!parts.length) continue;
    for (let i = 0; i + parts.length <= words.length; i++)
      if (parts.every((p, j) => words[i + j]?.includes(p)))
        for (let j = 0; j < parts.length; j++) marked.add(i + j);
  }
  return marked.size;
}

/** The expected length when the question sets none: 15 words per criterion, 30 to 150. */
const DEFAULT_EXPECTED_WORDS = { perCriterion: 15, min: 30, max: 150 };

/**
 * The local grader's confidence: the product of what it can judge of an answer, each 0–1 (1:
 * nothing to doubt). See docs/api.md (AI-assisted grading) for the rules.
 */
function localConfidence(request: GradingRequest, share: number): number {
  const words = wordsOf(request.answer);
  const { perCriterion, min, max } = DEFAULT_EXPECTED_WORDS;
  let expected = Math.min(max, Math.max(min, perCriterion * request.rubric.length));
  if (request.maxWords) expected = Math.min(expected, request.maxWords);
  if (request.minWords) expected = request.minWords;
  // Length: an answer shorter than expected shows less than the keywords suggest.
  let length = Math.min(1, words.length / expected);
  if (request.maxWords && words.length > request.maxWords) length *= 0.9;
  // Structure: sentences (of three words or more) — at least two, or one per criterion — and,
  // for a long answer, more than one paragraph.
  const sentences = request.answer
    .split(/[.!?]+(?=\s|$)/)
    .filter((part) => wordsOf(part).length >= 3).length;
  const wanted = Math.max(2, request.rubric.length);
  let structure = Math.min(1, 0.5 + (0.5 * sentences) / wanted);
  const paragraphs = request.answer.split(/\n\s*\n/).filter((p) => wordsOf(p).length).length;
  if (words.length >= 150 && paragraphs < 2) structure *= 0.9;
  // Keyword stuffing: an answer made mostly of the rubric's keywords says little else.
  const density = words.length
    ? keywordWords(
        words,
        request.rubric.flatMap((c) => c.keywords),
      ) / words.length
    : 0;
  const substance = density <= 0.2 ? 1 : Math.max(0, 1 - (density - 0.2) / 0.4);
  // Coverage: surest when all criteria are met or none, least sure half-way; a missing keyword
  // is weaker evidence than a present one (the learner may have used other words).
  const coverage = (0.5 + Math.abs(share - 0.5)) * (share < 1 ? 0.85 : 1);
  // A criterion without keywords is one it cannot judge at all.
  const total = request.rubric.reduce((n, c) => n + c.points, 0);
  const judged = total
    ? request.rubric.filter((c) => c.keywords.length).reduce((n, c) => n + c.points, 0) / total
    : 0;
  return Math.round(coverage * judged * length * structure * substance * 100) / 100;
}

/**
 * Scores each rubric criterion by its keywords: a criterion is met when one of its keywords (or
 * phrases) appears in the answer, and the points are the share of the rubric met. Keywords are
 * all it reads, so its confidence is what else it can check (localConfidence): the answer's
 * length against the expected one, its sentences and paragraphs, how much of it is the keywords
 * themselves, and how clear the verdict is. A bare list of keywords gets full marks suggested
 * and a confidence low enough to go to a person.
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
    const points = Math.round(share * request.maxPoints * 100) / 100;
    const missing = criteria.filter((c) => !c.met).map((c) => c.description);
    return {
      points,
      confidence: localConfidence(request, share),
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
