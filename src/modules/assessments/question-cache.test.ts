import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledLearner, quizCourse, SAMPLE } from "../../../test/assessments.js";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { questionsAt } from "./question-cache.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("questions kept in memory for attempts", () => {
  it("serve a question changed in the database at once, in views and in grading", async () => {
    const instructor = await signedInUser(t, { platformAdmin: true });
    const { quiz, questions } = await quizCourse(t, {
      instructorId: instructor.user.id,
      questions: [SAMPLE.mc],
    });
    const learner = await enrolledLearner(t, quiz.course_id);
    const started = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, learner);
    expect(started.status).toBe(201);
    const attempt = started.body.data;
    const shown = async () =>
      (await t.http.get(`/api/v1/attempts/${attempt.id}`, learner)).body.data.questions[0].question
        .text;
    expect(await shown()).toBe(SAMPLE.mc.text);
    expect(await shown()).toBe(SAMPLE.mc.text);

    // Changed behind the application's back (another process, psql): the right answer is now c.
    const id = (questions[0] as { id: string }).id;
    await sql`
      update quiz_questions set definition = jsonb_set(jsonb_set(jsonb_set(definition,
        '{text}', '"Which port does SSH use?"'),
        '{options,1,correct}', 'false'), '{options,2,correct}', 'true')
      where id = ${id}`.execute(t.system.db);
    expect(await shown()).toBe("Which port does SSH use?");

    const submitted = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      { answers: [{ questionId: id, response: { selected: ["c"] } }] },
      learner,
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body.data.score).toBe(100);
  });

  it("hands out frozen definitions, so no request can change another's copy", async () => {
    const instructor = await signedInUser(t, { platformAdmin: true });
    const { questions } = await quizCourse(t, {
      instructorId: instructor.user.id,
      questions: [SAMPLE.tf],
    });
    const id = (questions[0] as { id: string }).id;
    const { rows } = await sql<{ version: string }>`
      select xmin::text || ':' || ctid::text as version from quiz_questions where id = ${id}`.execute(
      t.system.db,
    );
    const version = (rows[0] as { version: string }).version;
    const [first] = await questionsAt(t.system, [{ id, version }]);
    const [second] = await questionsAt(t.system, [{ id, version }]);
    expect(second).toBe(first);
    expect(Object.isFrozen(first?.definition)).toBe(true);
    expect(() => {
      (first?.definition as { text: string }).text = "changed";
    }).toThrow(TypeError);
    expect(await questionsAt(t.system, [{ id: crypto.randomUUID(), version }])).toEqual([]);
  });
});
