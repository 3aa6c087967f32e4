import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ChatCompletionsGrader, createGrader, decide, LocalRubricGrader } from "./ai-grading.js";

/** A local stand-in of a chat-completions API answering `reply` and recording requests. */
async function standIn(
  reply: (body: { messages: Array<{ content: string }> }) => unknown,
  status = 200,
) {
  const seen: Array<{ headers: IncomingMessage["headers"]; body: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const body = JSON.parse(raw);
      seen.push({ headers: req.headers, body });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? reply(body) : { error: { message: "overloaded" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, seen, close: () => new Promise((r) => server.close(r)) };
}

const rubric = [
  {
    description: "Names the risk of hallucination",
    points: 2,
    keywords: ["hallucinat", "made up"],
  },
  {
    description: "Mentions human review",
    points: 2,
    keywords: ["human review", "review by a person"],
  },
];

describe("AI-assisted grading", () => {
  it("applies seed 001's confidence thresholds", () => {
    expect(decide(0.95)).toBe("graded");
    expect(decide(0.9)).toBe("graded");
    expect(decide(0.89)).toBe("graded-flagged");
    expect(decide(0.7)).toBe("graded-flagged");
    expect(decide(0.69)).toBe("manual");
  });

  it("grades deterministically from the rubric's keywords", async () => {
    const grader = new LocalRubricGrader();
    const answer =
      "It can hallucinate facts that look true. Every email needs a human review before it is sent out.";
    const full = await grader.grade({ question: "Risks?", answer, maxPoints: 10, rubric });
    expect(full).toMatchObject({ points: 10, feedback: "Every point of the rubric is covered." });
    expect(await grader.grade({ question: "Risks?", answer, maxPoints: 10, rubric })).toEqual(full);
    const half = await grader.grade({
      question: "q",
      answer: "The model may produce made up numbers that nobody notices in a busy week.",
      maxPoints: 10,
      rubric,
    });
    expect(half.points).toBe(5);
    expect(half.feedback).toContain("Mentions human review");
    expect(half.criteria.map((c) => c.met)).toEqual([true, false]);
  });

  it("is unsure of a keyword-stuffed answer and leaves it to a person", async () => {
    const grader = new LocalRubricGrader();
    const stuffed = await grader.grade({
      question: "What are the risks of using an LLM for customer emails?",
      answer: "hallucination, human review",
      maxPoints: 4,
      rubric,
    });
    // The keywords are all there, so the suggestion is full marks; nothing else is.
    expect(stuffed.points).toBe(4);
    expect(stuffed.confidence).toBeLessThan(0.3);
    expect(decide(stuffed.confidence)).toBe("manual");
    const terse = await grader.grade({ question: "q", answer: "No idea.", maxPoints: 4, rubric });
    expect(terse.points).toBe(0);
    expect(decide(terse.confidence)).toBe("manual");
  });

  it("is surer of an essay of the expected length and shape that covers the rubric", async () => {
    const PROPER =
      "A language model writes fluent text, but it can hallucinate: it states made up prices, " +
      "dates or policies with the same confidence as real ones. Customers trust what a company " +
      "sends them, so a wrong promise becomes a complaint or a legal problem.\n\n" +
      "For that reason every draft should get a human review before it is sent. The reviewer " +
      "checks the facts against the order system and the published policies, and fixes the tone.";
    const grader = new LocalRubricGrader();
    const request = { question: "What are the risks of using an LLM for customer emails?", rubric };
    const proper = await grader.grade({
      ...request,
      maxPoints: 4,
      answer: PROPER,
    });
    expect(proper.points).toBe(4);
    expect(proper.confidence).toBeGreaterThanOrEqual(0.9);
    expect(decide(proper.confidence)).toBe("graded");

    // One sentence of the same points: shorter than expected, and in less shape.
    const brief = await grader.grade({
      ...request,
      maxPoints: 4,
      answer:
        "It may hallucinate facts, so a human review of each email is needed before it goes out.",
    });
    expect(brief.points).toBe(4);
    expect(brief.confidence).toBeLessThan(proper.confidence);
    expect(decide(brief.confidence)).toBe("manual");

    // Two sentences, a little short of the expected length: graded, and flagged for review.
    const fair = await grader.grade({
      ...request,
      maxPoints: 4,
      answer:
        "The model can hallucinate details such as prices or dates. A human review of every " +
        "email catches these errors before customers see them.",
    });
    expect(decide(fair.confidence)).toBe("graded-flagged");

    // The question's own minimum length is what is expected.
    const sameWithMinimum = await grader.grade({
      ...request,
      maxPoints: 4,
      minWords: 200,
      answer: PROPER,
    });
    expect(sameWithMinimum.confidence).toBeLessThan(proper.confidence);
    expect(decide(sameWithMinimum.confidence)).not.toBe("graded");

    // An essay of the right length and shape that meets no criterion scores 0, and is flagged:
    // a missing keyword is weaker evidence than a present one (the learner may use other words).
    const offTopic = await grader.grade({
      ...request,
      maxPoints: 4,
      answer:
        "Email is a cheap way to reach customers and most of them read it on the phone. Short " +
        "subject lines work best, and a clear call to action at the end helps. Sending at the " +
        "same hour every week builds a habit, and a plain layout loads fast on any device.",
    });
    expect(offTopic.points).toBe(0);
    expect(decide(offTopic.confidence)).toBe("graded-flagged");

    // Criteria without keywords cannot be judged by keywords at all.
    const unjudged = await grader.grade({
      ...request,
      rubric: rubric.map((c) => ({ ...c, keywords: [] })),
      maxPoints: 4,
      answer: PROPER,
    });
    expect(decide(unjudged.confidence)).toBe("manual");
  });
});

describe("chat-completions grader", () => {
  it("asks for a JSON verdict per criterion and never awards more than the rubric allows", async () => {
    const api = await standIn(() => ({
      choices: [
        {
          message: {
            content: JSON.stringify({
              criteria: [
                { index: 0, met: true, points: 5 },
                { index: 1, met: false, points: 0 },
              ],
              confidence: 0.82,
              feedback: "Mention human review.",
            }),
          },
        },
      ],
    }));
    try {
      const grader = new ChatCompletionsGrader({
        url: api.url,
        model: "test-model",
        apiKey: "k-1",
      });
      const grade = await grader.grade({
        question: "Why check AI output?",
        answer: "Models can hallucinate facts.",
        maxPoints: 4,
        rubric,
      });
      expect(grade).toEqual({
        points: 2,
        confidence: 0.82,
        feedback: "Mention human review.",
        criteria: [
          { description: rubric[0]?.description, met: true, points: 2 },
          { description: rubric[1]?.description, met: false, points: 0 },
        ],
      });
      expect(grader.name).toBe("chat:test-model");
      const [call] = api.seen;
      expect(call?.headers.authorization).toBe("Bearer k-1");
      expect(call?.body).toMatchObject({
        model: "test-model",
        temperature: 0,
        response_format: { type: "json_object" },
      });
      const messages = (call?.body.messages ?? []) as Array<{ content: string }>;
      const user = JSON.parse(messages[1]?.content ?? "");
      expect(user).toMatchObject({ answer: "Models can hallucinate facts.", maxPoints: 4 });
      expect(user.rubric).toHaveLength(2);
    } finally {
      await api.close();
    }
  });

  it("fails loudly on an API error or a reply that is not the asked JSON", async () => {
    const down = await standIn(() => ({}), 503);
    const odd = await standIn(() => ({ choices: [{ message: { content: '{"confidence": 7}' } }] }));
    try {
      const request = { question: "q", answer: "a", maxPoints: 1, rubric: [] };
      await expect(
        new ChatCompletionsGrader({ url: down.url, model: "m", apiKey: "k" }).grade(request),
      ).rejects.toThrow(/503/);
      await expect(
        new ChatCompletionsGrader({ url: odd.url, model: "m", apiKey: "k" }).grade(request),
      ).rejects.toThrow();
    } finally {
      await down.close();
      await odd.close();
    }
  });

  it("is chosen by configuration", () => {
    expect(createGrader({ grader: "off", abandonAfterHours: 1 })).toBeNull();
    expect(createGrader({ grader: "local", abandonAfterHours: 1 })?.name).toBe("local-rubric");
    expect(
      createGrader({
        grader: "openai",
        abandonAfterHours: 1,
        openai: { url: "http://x", model: "m", apiKey: "k" },
      })?.name,
    ).toBe("chat:m");
  });
});
