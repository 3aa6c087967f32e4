import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { createLesson, createModule } from "../catalog/content.js";
import { createCourse } from "../catalog/courses.js";

let t: TestApp;
let w: Awaited<ReturnType<typeof makeOrganization>>;
let other: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await makeOrganization(t, {
    people: [
      { key: "author", roles: ["learner", "instructor"] },
      { key: "learner", roles: ["learner"] },
    ],
  });
  other = await makeOrganization(t);
});
afterAll(() => t.close());

const mc = {
  type: "multiple-choice",
  text: "Which port does HTTPS use?",
  points: 2,
  options: [
    { id: "a", text: "80" },
    { id: "b", text: "443", correct: true },
  ],
};

describe("quizzes", () => {
  it("are written on modules with settings, questions from the bank or inline, and totals that follow", async () => {
    const author = w.people.author!;
    const course = await createCourse(t.system, {
      organizationId: w.org.id,
      instructorId: author.user.id,
      code: "QUIZ-101",
      title: "Networking basics",
      description: "Ports, protocols and packets for everyone.",
      category: "it",
    });
    const first = await t.system.db
      .selectFrom("modules")
      .select("id")
      .where("course_id", "=", course.id)
      .executeTakeFirstOrThrow();
    const second = await createModule(t.system, course.id, { title: "More" });
    const elsewhere = await createLesson(t.system, second.id, {
      title: "Elsewhere",
      contentType: "text",
      content: { html: "<p>x</p>" },
    });

    let res = await t.http.post(
      `/api/v1/modules/${first.id}/quizzes`,
      { title: "Final check", lessonId: elsewhere.id },
      author,
    );
    expect(res.status).toBe(404);
    expect(res.body.error.field).toBe("lessonId");
    res = await t.http.post(
      `/api/v1/modules/${first.id}/quizzes`,
      { title: "x", availableFrom: "2026-05-02T00:00:00Z", availableUntil: "2026-05-01T00:00:00Z" },
      author,
    );
    expect(res.status).toBe(400);
    res = await t.http.post(
      `/api/v1/modules/${first.id}/quizzes`,
      { title: "Nope" },
      w.people.learner!,
    );
    expect(res.status).toBe(403);

    res = await t.http.post(
      `/api/v1/modules/${first.id}/quizzes`,
      {
        title: "Final check",
        kind: "certification",
        timeLimitMinutes: 20,
        attemptLimit: 2,
        passingScore: 80,
        randomizeQuestions: true,
        showCorrectAnswers: "after-passing",
      },
      author,
    );
    expect(res.status).toBe(201);
    const quiz = res.body.data;
    expect(quiz).toMatchObject({
      kind: "certification",
      isPublished: false,
      passingScore: 80,
      totalPoints: 0,
      questions: [],
    });
    res = await t.http.patch(`/api/v1/quizzes/${quiz.id}`, { isPublished: true }, author);
    expect(res.status).toBe(422);

    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/questions`, { question: mc }, author);
    expect(res.status).toBe(201);
    const inline = res.body.data;
    const bank = await t.http.post(
      `/api/v1/organizations/${w.org.id}/question-bank`,
      {
        title: "TF",
        question: { type: "true-false", text: "UDP is connectionless", correct: true },
      },
      author,
    );
    res = await t.http.post(
      `/api/v1/quizzes/${quiz.id}/questions`,
      { bankQuestionId: bank.body.data.id },
      author,
    );
    expect(res.body.data).toMatchObject({
      position: 2,
      bankQuestionId: bank.body.data.id,
      type: "true-false",
    });
    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/questions`, {}, author);
    expect(res.status).toBe(400);
    res = await t.http.post(
      `/api/v1/quizzes/${quiz.id}/questions`,
      {
        question: {
          ...mc,
          options: [
            { id: "a", text: "x" },
            { id: "b", text: "y" },
          ],
        },
      },
      author,
    );
    expect(res.status).toBe(400);

    res = await t.http.get(`/api/v1/quizzes/${quiz.id}`, author);
    expect(res.body.data.totalPoints).toBe(3);
    expect(
      res.body.data.questions.map((q: { position: number; type: string }) => [q.position, q.type]),
    ).toEqual([
      [1, "multiple-choice"],
      [2, "true-false"],
    ]);
    const usage = await t.system.db
      .selectFrom("question_bank")
      .select("usage_count")
      .where("id", "=", bank.body.data.id)
      .executeTakeFirstOrThrow();
    expect(usage.usage_count).toBe(1);

    // Reorder, and edit a copy without touching the bank.
    const tfId = res.body.data.questions[1].id;
    res = await t.http.put(
      `/api/v1/quizzes/${quiz.id}/questions/order`,
      { questionIds: [tfId, inline.id] },
      author,
    );
    expect(res.body.data.map((q: { id: string }) => q.id)).toEqual([tfId, inline.id]);
    res = await t.http.put(
      `/api/v1/quizzes/${quiz.id}/questions/order`,
      { questionIds: [tfId] },
      author,
    );
    expect(res.status).toBe(400);
    res = await t.http.patch(
      `/api/v1/quiz-questions/${tfId}`,
      {
        question: {
          type: "true-false",
          text: "UDP is connection-oriented",
          correct: false,
          points: 3,
        },
      },
      author,
    );
    expect(res.body.data).toMatchObject({ points: 3, question: { correct: false } });
    const original = await t.system.db
      .selectFrom("question_bank")
      .select("definition")
      .where("id", "=", bank.body.data.id)
      .executeTakeFirstOrThrow();
    expect(original.definition).toMatchObject({ correct: true, text: "UDP is connectionless" });
    res = await t.http.get(`/api/v1/quizzes/${quiz.id}`, author);
    expect(res.body.data.totalPoints).toBe(5);

    res = await t.http.delete(`/api/v1/quiz-questions/${inline.id}`, author);
    expect(res.status).toBe(200);
    res = await t.http.patch(`/api/v1/quizzes/${quiz.id}`, { isPublished: true }, author);
    expect(res.body.data).toMatchObject({ isPublished: true, totalPoints: 3 });
    expect(res.body.data.questions.map((q: { position: number }) => q.position)).toEqual([1]);

    for (const who of [w.people.learner!, other.people.admin]) {
      res = await t.http.get(`/api/v1/quizzes/${quiz.id}`, who);
      expect([403, 404]).toContain(res.status);
    }
    res = await t.http.get(`/api/v1/courses/${course.id}/quizzes`, author);
    expect(res.body.data.map((q: { title: string }) => q.title)).toEqual(["Final check"]);
    res = await t.http.delete(`/api/v1/quizzes/${quiz.id}`, author);
    expect(res.status).toBe(200);
    res = await t.http.get(`/api/v1/quizzes/${quiz.id}`, author);
    expect(res.status).toBe(404);
  });
});
