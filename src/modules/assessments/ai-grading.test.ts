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

  it("grades deterministically from the rubric, surest at the extremes", async () => {
    const grader = new LocalRubricGrader();
    const full = await grader.grade({
      question: "What are the risks of using an LLM for customer emails?",
      answer:
        "It can hallucinate facts that look true, so every email needs a human review before it is sent out.",
      maxPoints: 10,
      rubric,
    });
    expect(full).toMatchObject({
      points: 10,
      confidence: 1,
      feedback: "Every point of the rubric is covered.",
    });
    const again = await grader.grade({
      question: "same",
      answer:
        "It can hallucinate facts that look true, so every email needs a human review before it is sent out.",
      maxPoints: 10,
      rubric,
    });
    expect(again).toEqual(full);
    const half = await grader.grade({
      question: "q",
      answer: "The model may produce made up numbers that nobody notices in a busy week.",
      maxPoints: 10,
      rubric,
    });
    expect(half.points).toBe(5);
    expect(half.confidence).toBe(0.5);
    expect(decide(half.confidence)).toBe("manual");
    expect(half.feedback).toContain("Mentions human review");
    const terse = await grader.grade({ question: "q", answer: "No idea.", maxPoints: 10, rubric });
    expect(terse).toMatchObject({ points: 0, confidence: 0.8 });
    expect(decide(terse.confidence)).toBe("graded-flagged");
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
