import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byText, enrolledLearner, quizCourse, refresh, SAMPLE } from "../../../test/assessments.js";
import { ENGINE } from "../../../test/database.js";
import { signedInUser } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import { queryCount } from "../../db/connection.js";
import { closeOverdueAttempts } from "./attempt-close.js";
import { updateQuiz } from "./quizzes.js";

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true, firstName: "Ines" });
});
afterAll(() => t.close());

const ALL_GRADED = [SAMPLE.mc, SAMPLE.ms, SAMPLE.tf, SAMPLE.short, SAMPLE.blank, SAMPLE.match];

/** Lena's open attempt at a new quiz of three questions (choice, true/false, short answer). */
async function threeQuestionAttempt() {
  const { quiz, questions } = await quizCourse(t, {
    instructorId: instructor.user.id,
    questions: [SAMPLE.mc, SAMPLE.tf, SAMPLE.short],
  });
  const lena = await enrolledLearner(t, quiz.course_id);
  const start = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
  const served = start.body.data;
  return {
    quiz,
    questions,
    lena,
    id: served.id as string,
    mc: byText(served, SAMPLE.mc.text),
    tf: byText(served, SAMPLE.tf.text),
    short: byText(served, SAMPLE.short.text),
  };
}

/**
 * Saves an answer as another process would (straight to the database, moving the attempt row
 * on as every save does), so that what this process remembers of the attempt is out of date.
 */
async function saveElsewhere(attemptId: string, questionId: string, response: unknown) {
  await t.system.db
    .insertInto("quiz_answers")
    .values({
      attempt_id: attemptId,
      quiz_question_id: questionId,
      response: JSON.stringify(response),
      saved_at: t.clock.now(),
    })
    .execute();
  await t.system.db
    .updateTable("quiz_attempts")
    .set({ last_saved_at: t.clock.now() })
    .where("id", "=", attemptId)
    .execute();
}

describe("taking a quiz", () => {
  it("serves a stored draw without answer data, autosaves, and grades every type on submit", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { randomizeQuestions: true, randomizeAnswers: true, passingScore: 60 },
      questions: ALL_GRADED,
    });
    const lena = await enrolledLearner(t, quiz.course_id);

    let res = await t.http.get(`/api/v1/quizzes/${quiz.id}/summary`, lena);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      canStart: true,
      attemptsUsed: 0,
      attemptsLeft: null,
      quiz: { questionCount: 6, passingScore: 60, kind: "graded" },
    });
    expect(JSON.stringify(res.body.data)).not.toContain(`"443"`);

    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    expect(res.status).toBe(201);
    const attempt = res.body.data;
    expect(attempt).toMatchObject({ attemptNumber: 1, status: "in-progress", score: null });
    // The quiz's title and rules come with the attempt (its page asks for nothing else).
    expect(attempt.quiz).toEqual({
      id: quiz.id,
      courseId: quiz.course_id,
      title: quiz.title,
      instructions: quiz.instructions,
      passingScore: 60,
      showCorrectAnswers: quiz.show_correct_answers,
    });
    expect(attempt.questions).toHaveLength(6);
    const matching = attempt.questions.find(
      (q: { question: { type: string } }) => q.question.type === "matching",
    );
    // The right-hand items never come in pair order.
    expect(matching.question.right.map((r: { id: string }) => r.id)).not.toEqual([
      "r1",
      "r2",
      "r3",
    ]);

    // A reload (or a second start) resumes the same attempt, in the same order.
    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(attempt.id);
    expect(res.body.data.questions).toEqual(attempt.questions);
    const stored = await t.system.db
      .selectFrom("quiz_attempts")
      .select(["question_ids", "layout"])
      .where("id", "=", attempt.id)
      .executeTakeFirstOrThrow();
    expect(stored.question_ids).toEqual(attempt.questions.map((q: { id: string }) => q.id));

    // Bad answers change nothing and say which one is off.
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      {
        answers: [{ questionId: byText(attempt, SAMPLE.mc.text), response: { selected: ["zz"] } }],
      },
      lena,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("answers.0.response");
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: byText(attempt, SAMPLE.tf.text), response: { text: "yes" } }] },
      lena,
    );
    expect(res.status).toBe(400);
    // An id that is not one of the attempt's questions (here the quiz's own id) is not found,
    // named as the reference check names a foreign id.
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: quiz.id, response: { value: true } }] },
      lena,
    );
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      code: "NOT_FOUND",
      field: "answers.0.questionId",
      details: { kind: "quiz-question", id: quiz.id },
    });

    // Autosave, then change an answer: the last save wins.
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      {
        answers: [
          { questionId: byText(attempt, SAMPLE.mc.text), response: { selected: ["a"] } },
          {
            questionId: byText(attempt, SAMPLE.tf.text),
            response: { value: true },
            markedForReview: true,
          },
        ],
      },
      lena,
    );
    expect(res.status).toBe(200);
    const saved = res.body.data.questions.find(
      (q: { id: string }) => q.id === byText(attempt, SAMPLE.tf.text),
    );
    expect(saved).toMatchObject({ response: { value: true }, markedForReview: true });
    expect(saved.result).toBeUndefined();
    // Two answers to one question in one save: the last wins; an unsent review mark stays.
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      {
        answers: [
          { questionId: byText(attempt, SAMPLE.tf.text), response: { value: false } },
          { questionId: byText(attempt, SAMPLE.tf.text), response: { value: true } },
        ],
      },
      lena,
    );
    expect(
      res.body.data.questions.find((q: { id: string }) => q.id === byText(attempt, SAMPLE.tf.text)),
    ).toMatchObject({ response: { value: true }, markedForReview: true });

    const other = await enrolledLearner(t, quiz.course_id, "Otto");
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: byText(attempt, SAMPLE.tf.text), response: { value: false } }] },
      other,
    );
    expect(res.status).toBe(404);
    res = await t.http.get(`/api/v1/attempts/${attempt.id}`, other);
    expect(res.status).toBe(404);

    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      {
        answers: [
          { questionId: byText(attempt, SAMPLE.mc.text), response: { selected: ["b"] } }, // 2
          { questionId: byText(attempt, SAMPLE.ms.text), response: { selected: ["tcp"] } }, // 1 of 2
          { questionId: byText(attempt, SAMPLE.short.text), response: { text: "  http " } }, // 1
          { questionId: byText(attempt, SAMPLE.blank.text), response: { blanks: ["4", "64"] } }, // 1 of 2
          {
            questionId: byText(attempt, SAMPLE.match.text),
            response: { matches: { l1: "r1", l2: "r3" } },
          }, // 1 of 2
        ],
      },
      lena,
    );
    expect(res.status).toBe(200);
    const result = res.body.data;
    // 2 + 1 + 1 (true/false saved earlier) + 1 + 1 + 1 = 7 of 10.
    expect(result).toMatchObject({
      status: "graded",
      endReason: "submitted",
      pointsEarned: 7,
      pointsPossible: 10,
      score: 70,
      passed: true,
      alreadySubmitted: false,
      answersRevealed: true,
    });
    const ms = result.questions.find(
      (q: { id: string }) => q.id === byText(attempt, SAMPLE.ms.text),
    );
    expect(ms.result).toEqual({ outcome: "partial", points: 1, maxPoints: 2 });
    expect(ms.key.correctOptionIds).toEqual(["tcp", "udp"]);

    const events = await t.system.db
      .selectFrom("learning_events")
      .select("event_type")
      .where("learner_id", "=", lena.user.id)
      .where("event_type", "like", "assessment-%")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.event_type).sort()).toEqual([
      "assessment-completed",
      "assessment-graded",
      "assessment-started",
      "assessment-submitted",
    ]);

    // Saving to a submitted attempt is refused.
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: byText(attempt, SAMPLE.mc.text), response: { selected: ["c"] } }] },
      lena,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ATTEMPT_NOT_IN_PROGRESS");
  });

  it("stores exact partial credit and decides the pass on the exact percentage", async () => {
    const thirds = (n: number) => ({
      type: "fill-blank",
      text: `Blanks ${n}: {{1}} {{2}} {{3}}`,
      points: 1,
      blanks: [{ accepted: ["a"] }, { accepted: ["b"] }, { accepted: ["c"] }],
    });
    const takeAll = async (
      { quiz }: Awaited<ReturnType<typeof quizCourse>>,
      blanks: string[],
      name: string,
    ) => {
      const quizId = quiz.id;
      const learner = await enrolledLearner(t, quiz.course_id, name);
      const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, learner)).body.data;
      const answers = attempt.questions.map((q: { id: string }) => ({
        questionId: q.id,
        response: { blanks },
      }));
      const res = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, { answers }, learner);
      return { id: attempt.id as string, data: res.body.data };
    };
    const stored = (attemptId: string) =>
      t.system.db
        .selectFrom("quiz_attempts")
        .select(["points_earned", "score", "passed"])
        .where("id", "=", attemptId)
        .executeTakeFirstOrThrow();

    // Three answers worth 2/3 each: 66.67 % exactly, under a pass mark of 67.
    const hard = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { passingScore: 67 },
      questions: [thirds(1), thirds(2), thirds(3)],
    });
    const twoThirds = await takeAll(hard, ["a", "b", "x"], "Tara");
    expect(twoThirds.data).toMatchObject({
      status: "graded",
      pointsEarned: 2,
      pointsPossible: 3,
      score: 66.67,
      passed: false,
    });
    // Shown rounded, stored exact.
    expect(twoThirds.data.questions[0].result.points).toBe(0.67);
    const answer = await t.system.db
      .selectFrom("quiz_answers")
      .select("points")
      .where("attempt_id", "=", twoThirds.id)
      .executeTakeFirstOrThrow();
    expect(Number(answer.points)).toBeCloseTo(2 / 3, 12);
    let row = await stored(twoThirds.id);
    expect(Number(row.points_earned)).toBe(2);
    expect(row).toMatchObject({ passed: false });
    expect(Number(row.score)).toBe(66.67);
    // A grader giving back the shown 0.67 confirms the grade: no override, nothing rounded.
    const graded = await t.http.post(
      `/api/v1/attempts/${twoThirds.id}/grade`,
      { answers: [{ questionId: twoThirds.data.questions[0].id, points: 0.67 }] },
      instructor,
    );
    expect(graded.status).toBe(200);
    expect(graded.body.data).toMatchObject({ pointsEarned: 2, score: 66.67, passed: false });
    expect(graded.body.data.questions[0].grading.manualOverride).toBe(false);
    row = await stored(twoThirds.id);
    expect(Number(row.points_earned)).toBe(2);

    // Six answers worth 1/3 each: 33.33 % exactly, over a pass mark of 33.33.
    const easy = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { passingScore: 33.33 },
      questions: [1, 2, 3, 4, 5, 6].map(thirds),
    });
    const oneThird = await takeAll(easy, ["a", "x", "x"], "Theo");
    expect(oneThird.data).toMatchObject({ pointsEarned: 2, score: 33.33, passed: true });
    row = await stored(oneThird.id);
    expect(Number(row.points_earned)).toBe(2);
    expect(row).toMatchObject({ passed: true });
  });

  it("counts a double submit once, even when both arrive together", async () => {
    const { quiz } = await quizCourse(t, { instructorId: instructor.user.id });
    const lena = await enrolledLearner(t, quiz.course_id);
    const start = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    const id = start.body.data.id;
    const answers = [
      { questionId: byText(start.body.data, SAMPLE.tf.text), response: { value: true } },
    ];
    const [a, b] = await Promise.all([
      t.http.post(`/api/v1/attempts/${id}/submit`, { answers }, lena),
      t.http.post(`/api/v1/attempts/${id}/submit`, { answers }, lena),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.data.alreadySubmitted, b.body.data.alreadySubmitted].sort()).toEqual([
      false,
      true,
    ]);
    expect(a.body.data.score).toBe(b.body.data.score);
    const submitted = await t.system.db
      .selectFrom("learning_events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("learner_id", "=", lena.user.id)
      .where("event_type", "=", "assessment-submitted")
      .executeTakeFirstOrThrow();
    expect(Number(submitted.n)).toBe(1);
    const result = await t.system.db
      .selectFrom("quiz_results")
      .select("attempts_used")
      .where("quiz_id", "=", quiz.id)
      .executeTakeFirstOrThrow();
    expect(result.attempts_used).toBe(1);
  });

  it("autosaves a remembered attempt in one statement, and reads it again whenever it changed", async () => {
    const { quiz, questions, lena, id, mc, tf, short } = await threeQuestionAttempt();
    const save = async (answers: Array<{ questionId: string; response: unknown }>) => {
      const before = queryCount(t.lyceum.services.db);
      const res = await t.http.put(`/api/v1/attempts/${id}/answers`, { answers }, lena);
      return { res, statements: queryCount(t.lyceum.services.db) - before };
    };
    const responses = (res: { body: { data: { questions: Array<Record<string, unknown>> } } }) =>
      Object.fromEntries(res.body.data.questions.map((q) => [q.id, q.response ?? null]));
    // On a server, the change feed's check is one statement more.
    const feed = ENGINE === "postgres" ? 1 : 0;

    // The first save reads the attempt (and its questions, new to this process), then writes.
    const first = await save([{ questionId: mc, response: { selected: ["b"] } }]);
    expect(first.res.status).toBe(200);
    expect(first.statements).toBeGreaterThan(1 + feed);
    // The next one writes only, and answers with everything saved.
    const second = await save([{ questionId: tf, response: { value: true } }]);
    expect(second.res.status).toBe(200);
    expect(second.statements).toBe(1 + feed);
    expect(responses(second.res)).toEqual({
      [mc]: { selected: ["b"] },
      [tf]: { value: true },
      [short]: null,
    });

    // Something else saved an answer (another process, say): it shows in the next save's answer.
    await saveElsewhere(id, short, { text: "HTTP" });
    const third = await save([{ questionId: tf, response: { value: false } }]);
    expect(third.statements).toBe(3 + feed); // the stale write, the read, the write
    expect(responses(third.res)).toEqual({
      [mc]: { selected: ["b"] },
      [tf]: { value: false },
      [short]: { text: "HTTP" },
    });
    const stored = await t.system.db
      .selectFrom("quiz_answers")
      .select(["quiz_question_id", "response"])
      .where("attempt_id", "=", id)
      .execute();
    expect(Object.fromEntries(stored.map((a) => [a.quiz_question_id, a.response]))).toEqual(
      responses(third.res),
    );

    // The instructor rewords a question, then retitles the quiz: each save shows the change.
    const tfRow = questions.find((q) => q.id === tf);
    expect(tfRow).toBeDefined();
    let res = await t.http.patch(
      `/api/v1/quiz-questions/${tf}`,
      { question: { ...SAMPLE.tf, text: "DNS maps host names to addresses." } },
      instructor,
    );
    expect(res.status).toBe(200);
    const reworded = await save([{ questionId: mc, response: { selected: ["a"] } }]);
    expect(reworded.statements).toBeGreaterThan(1 + feed);
    expect(
      reworded.res.body.data.questions.find((q: { id: string }) => q.id === tf).question.text,
    ).toBe("DNS maps host names to addresses.");
    await updateQuiz(t.system, quiz.id, { title: "Ports and names" });
    const retitled = await save([{ questionId: mc, response: { selected: ["b"] } }]);
    expect(retitled.statements).toBeGreaterThan(1 + feed);
    expect(retitled.res.body.data.quiz.title).toBe("Ports and names");
    // A question changed on its own (the quiz row untouched) is seen too.
    await t.system.db
      .updateTable("quiz_questions")
      .set({ definition: JSON.stringify({ ...SAMPLE.short, text: "Name the web's protocol." }) })
      .where("id", "=", short)
      .execute();
    const changed = await save([{ questionId: mc, response: { selected: ["a"] } }]);
    expect(changed.statements).toBeGreaterThan(1 + feed);
    expect(
      changed.res.body.data.questions.find((q: { id: string }) => q.id === short).question.text,
    ).toBe("Name the web's protocol.");
    expect((await save([{ questionId: mc, response: null }])).statements).toBe(1 + feed);
    // Another learner is refused, and leaves what the owner's process remembers alone.
    const otto = await enrolledLearner(t, quiz.course_id, "Otto");
    let refused = await t.http.put(
      `/api/v1/attempts/${id}/answers`,
      { answers: [{ questionId: tf, response: { value: true } }] },
      otto,
    );
    expect(refused.status).toBe(404);
    expect((await save([{ questionId: mc, response: { selected: ["b"] } }])).statements).toBe(
      1 + feed,
    );

    // A submitted attempt takes no more answers, remembered or not.
    res = await t.http.post(`/api/v1/attempts/${id}/submit`, {}, lena);
    expect(res.status).toBe(200);
    const late = await save([{ questionId: tf, response: { value: true } }]);
    expect(late.res.status).toBe(409);
    expect(late.res.body.error.code).toBe("ATTEMPT_NOT_IN_PROGRESS");
    // Nor from another learner.
    refused = await t.http.put(
      `/api/v1/attempts/${id}/answers`,
      { answers: [{ questionId: tf, response: { value: true } }] },
      otto,
    );
    expect(refused.status).toBe(404);
  });

  it("reloads a remembered open attempt from one statement, and reads it again whenever it changed", async () => {
    const { quiz, lena, id, mc, tf, short } = await threeQuestionAttempt();
    const reload = async (who: Credentials = lena) => {
      const before = queryCount(t.lyceum.services.db);
      const res = await t.http.get(`/api/v1/attempts/${id}`, who);
      return { res, statements: queryCount(t.lyceum.services.db) - before };
    };
    const responses = (res: { body: { data: { questions: Array<Record<string, unknown>> } } }) =>
      Object.fromEntries(res.body.data.questions.map((q) => [q.id, q.response ?? null]));
    const textOf = (
      res: { body: { data: { questions: Array<Record<string, unknown>> } } },
      q: string,
    ) =>
      (res.body.data.questions.find((x) => x.id === q)?.question as { text: string } | undefined)
        ?.text;
    const feed = ENGINE === "postgres" ? 1 : 0;

    // The first reload reads the attempt; the next one only checks that it is unchanged, and
    // answers exactly the same.
    const first = await reload();
    expect(first.res.status).toBe(200);
    expect(first.statements).toBeGreaterThan(1 + feed);
    const second = await reload();
    expect(second.statements).toBe(1 + feed);
    expect(second.res.body).toEqual({ ...first.res.body, requestId: second.res.body.requestId });

    // An autosave's result is what the next reload shows, still from one statement.
    const saved = await t.http.put(
      `/api/v1/attempts/${id}/answers`,
      { answers: [{ questionId: mc, response: { selected: ["b"] } }] },
      lena,
    );
    expect(saved.status).toBe(200);
    const afterSave = await reload();
    expect(afterSave.statements).toBe(1 + feed);
    expect(responses(afterSave.res)).toEqual({
      [mc]: { selected: ["b"] },
      [tf]: null,
      [short]: null,
    });
    expect(afterSave.res.body.data).toEqual(saved.body.data);

    // Something else saved an answer (another process, say): the reload reads it.
    await saveElsewhere(id, short, { text: "HTTP" });
    const elsewhere = await reload();
    expect(elsewhere.statements).toBeGreaterThan(1 + feed);
    expect(responses(elsewhere.res)).toEqual({
      [mc]: { selected: ["b"] },
      [tf]: null,
      [short]: { text: "HTTP" },
    });
    expect((await reload()).statements).toBe(1 + feed);

    // A question changed on its own, then the quiz retitled: each reload shows the change.
    await t.system.db
      .updateTable("quiz_questions")
      .set({ definition: JSON.stringify({ ...SAMPLE.tf, text: "DNS maps names to addresses." }) })
      .where("id", "=", tf)
      .execute();
    const reworded = await reload();
    expect(reworded.statements).toBeGreaterThan(1 + feed);
    expect(textOf(reworded.res, tf)).toBe("DNS maps names to addresses.");
    await updateQuiz(t.system, quiz.id, { title: "Ports and names" });
    const retitled = await reload();
    expect(retitled.statements).toBeGreaterThan(1 + feed);
    expect(retitled.res.body.data.quiz.title).toBe("Ports and names");
    expect((await reload()).statements).toBe(1 + feed);

    // Another learner is refused; the course's instructor sees the graders' view, read from the
    // database. Neither touches what the owner's process remembers.
    const otto = await enrolledLearner(t, quiz.course_id, "Otto");
    const refused = await reload(otto);
    expect(refused.res.status).toBe(404);
    expect(refused.res.body.error.code).toBe("NOT_FOUND");
    const graders = await reload(instructor);
    expect(graders.res.status).toBe(200);
    expect(graders.statements).toBeGreaterThan(1 + feed);
    expect(graders.res.body.data.learner).toBeDefined();
    expect(retitled.res.body.data.learner).toBeUndefined();
    expect((await reload()).statements).toBe(1 + feed);

    // Once submitted (and graded at once), the reload shows the closed attempt.
    const submitted = await t.http.post(`/api/v1/attempts/${id}/submit`, {}, lena);
    expect(submitted.status).toBe(200);
    const closed = await reload();
    expect(closed.res.body.data.status).toBe(submitted.body.data.status);
    expect(closed.res.body.data.status).not.toBe("in-progress");
    expect(closed.res.body.data.score).toBe(submitted.body.data.score);
  });

  it("loses no answer when autosaves race one another or a submission", async () => {
    const { quiz } = await quizCourse(t, { instructorId: instructor.user.id });
    const lena = await enrolledLearner(t, quiz.course_id);
    const start = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    const id = start.body.data.id;
    const mc = byText(start.body.data, SAMPLE.mc.text);
    const tf = byText(start.body.data, SAMPLE.tf.text);
    const answerOf = (body: { data: { questions: Array<{ id: string; response: unknown }> } }) =>
      Object.fromEntries(body.data.questions.map((q) => [q.id, q.response]));

    // Two tabs save different questions at once: both are kept, and the save that finished
    // last shows both (it saw the other's change, or waited for it).
    const [a, b] = await Promise.all([
      t.http.put(
        `/api/v1/attempts/${id}/answers`,
        { answers: [{ questionId: mc, response: { selected: ["a"] } }] },
        lena,
      ),
      t.http.put(
        `/api/v1/attempts/${id}/answers`,
        { answers: [{ questionId: tf, response: { value: true } }] },
        lena,
      ),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const seen = [answerOf(a.body), answerOf(b.body)];
    expect(seen).toContainEqual(
      expect.objectContaining({ [mc]: { selected: ["a"] }, [tf]: { value: true } }),
    );
    const stored = await t.system.db
      .selectFrom("quiz_answers")
      .select(["quiz_question_id", "response"])
      .where("attempt_id", "=", id)
      .execute();
    expect(Object.fromEntries(stored.map((r) => [r.quiz_question_id, r.response]))).toEqual({
      [mc]: { selected: ["a"] },
      [tf]: { value: true },
    });

    // A save racing the submission either lands before it (and is graded) or is refused:
    // nothing is ever written into the closed attempt.
    const [save, submit] = await Promise.all([
      t.http.put(
        `/api/v1/attempts/${id}/answers`,
        { answers: [{ questionId: tf, response: { value: false } }] },
        lena,
      ),
      t.http.post(`/api/v1/attempts/${id}/submit`, {}, lena),
    ]);
    expect(submit.status).toBe(200);
    const graded = await t.system.db
      .selectFrom("quiz_answers")
      .select(["quiz_question_id", "response", "outcome"])
      .where("attempt_id", "=", id)
      .execute();
    const tfRow = graded.find((r) => r.quiz_question_id === tf);
    if (save.status === 200) expect(tfRow?.response).toEqual({ value: false });
    else {
      expect(save.body.error.code).toBe("ATTEMPT_NOT_IN_PROGRESS");
      expect(tfRow?.response).toEqual({ value: true });
    }
    expect(graded.every((r) => r.outcome !== null)).toBe(true);
    expect(submit.body.data.questions.find((q: { id: string }) => q.id === tf).response).toEqual(
      tfRow?.response,
    );
  });

  it("never exceeds the attempt limit under concurrent starts", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { attemptLimit: 2 },
    });
    const lena = await enrolledLearner(t, quiz.course_id);
    for (let round = 1; round <= 2; round++) {
      const starts = await Promise.all(
        Array.from({ length: 8 }, () => t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)),
      );
      expect(starts.every((s) => s.status === 200 || s.status === 201)).toBe(true);
      expect(starts.filter((s) => s.status === 201)).toHaveLength(1);
      expect(new Set(starts.map((s) => s.body.data.id)).size).toBe(1);
      expect(starts[0]?.body.data.attemptNumber).toBe(round);
      await t.http.post(`/api/v1/attempts/${starts[0]?.body.data.id}/submit`, {}, lena);
    }
    const third = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)),
    );
    expect(third.map((s) => s.body.error?.code)).toEqual(Array(8).fill("ATTEMPT_LIMIT_REACHED"));
    const rows = await t.system.db
      .selectFrom("quiz_attempts")
      .select("attempt_number")
      .where("quiz_id", "=", quiz.id)
      .orderBy("attempt_number")
      .execute();
    expect(rows.map((r) => r.attempt_number)).toEqual([1, 2]);
    const summary = await t.http.get(`/api/v1/quizzes/${quiz.id}/summary`, lena);
    expect(summary.body.data).toMatchObject({
      canStart: false,
      attemptsLeft: 0,
      blockedBy: { code: "ATTEMPT_LIMIT_REACHED" },
    });
  });

  it("checks enrollment, the window, publication and the module's prerequisites", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { availableFrom: "2026-03-05T00:00:00Z", availableUntil: "2026-03-06T00:00:00Z" },
    });
    const stranger = await signedInUser(t);
    let res = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, stranger);
    expect(res.body.error.code).toBe("NOT_ENROLLED");
    let lena = await enrolledLearner(t, quiz.course_id);
    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: "QUIZ_NOT_AVAILABLE",
      details: { availableFrom: "2026-03-05T00:00:00.000Z" },
    });
    t.clock.set("2026-03-05T12:00:00Z");
    lena = await refresh(t, lena);
    res = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    expect(res.status).toBe(201);
    // The window's end is the attempt's deadline.
    expect(res.body.data.deadlineAt).toBe("2026-03-06T00:00:00.000Z");
    t.clock.set("2026-03-02T09:00:00Z");

    const draft = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { isPublished: false },
      withLesson: true,
    });
    const lars = await enrolledLearner(t, draft.course.id);
    res = await t.http.post(`/api/v1/quizzes/${draft.quiz.id}/start`, {}, lars);
    expect(res.status).toBe(404);
  });
});

describe("time limits", () => {
  it("count answers up to the deadline, not after; the worker closes what is left open", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { timeLimitMinutes: 10 },
      questions: [SAMPLE.mc, SAMPLE.tf],
    });
    let lena = await enrolledLearner(t, quiz.course_id);
    const start = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena);
    const attempt = start.body.data;
    expect(attempt.deadlineAt).toBe("2026-03-02T09:10:00.000Z");
    expect(attempt.secondsLeft).toBe(600);
    const mc = byText(attempt, SAMPLE.mc.text);
    const tf = byText(attempt, SAMPLE.tf.text);

    t.clock.set("2026-03-02T09:10:00Z"); // exactly at the deadline: still counts
    lena = await refresh(t, lena);
    let res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: mc, response: { selected: ["b"] } }] },
      lena,
    );
    expect(res.status).toBe(200);
    expect(res.body.data.secondsLeft).toBe(0);

    t.clock.set("2026-03-02T09:10:01Z"); // one second late: does not
    res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: tf, response: { value: true } }] },
      lena,
    );
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "TIME_LIMIT_EXCEEDED",
      details: { deadlineAt: "2026-03-02T09:10:00.000Z" },
    });
    res = await t.http.get(`/api/v1/attempts/${attempt.id}`, lena);
    expect(res.body.data).toMatchObject({
      status: "graded",
      endReason: "time-expired",
      pointsEarned: 2,
      pointsPossible: 3,
      timeSpentSeconds: 600,
    });
    expect(res.body.data.questions.find((q: { id: string }) => q.id === tf).response).toBeNull();

    // Late answers sent with a submit are ignored.
    t.clock.set("2026-03-02T09:00:00Z");
    const second = await t.http.post(
      `/api/v1/quizzes/${quiz.id}/start`,
      {},
      await refresh(t, lena),
    );
    t.clock.set("2026-03-02T09:10:30Z");
    lena = await refresh(t, lena);
    res = await t.http.post(
      `/api/v1/attempts/${second.body.data.id}/submit`,
      { answers: [{ questionId: mc, response: { selected: ["b"] } }] },
      lena,
    );
    expect(res.body.data).toMatchObject({
      lateAnswersIgnored: true,
      endReason: "time-expired",
      pointsEarned: 0,
    });

    // Abandoned: a timed attempt past its deadline and an untimed one left for days.
    t.clock.set("2026-03-02T09:00:00Z");
    const otto = await enrolledLearner(t, quiz.course_id, "Otto");
    const left = await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, otto);
    await t.http.put(
      `/api/v1/attempts/${left.body.data.id}/answers`,
      {
        answers: [
          { questionId: byText(left.body.data, SAMPLE.tf.text), response: { value: true } },
        ],
      },
      otto,
    );
    const untimed = await quizCourse(t, { instructorId: instructor.user.id });
    const ute = await enrolledLearner(t, untimed.course.id, "Ute");
    const idle = await t.http.post(`/api/v1/quizzes/${untimed.quiz.id}/start`, {}, ute);
    t.clock.set("2026-03-02T09:20:00Z");
    expect(await closeOverdueAttempts(t.system)).toBe(1);
    t.clock.set("2026-03-05T10:00:00Z"); // past QUIZ_ABANDON_HOURS (72)
    expect(await closeOverdueAttempts(t.system)).toBe(1);
    const closed = await t.system.db
      .selectFrom("quiz_attempts")
      .select(["id", "status", "end_reason", "points_earned"])
      .where("id", "in", [left.body.data.id, idle.body.data.id])
      .execute();
    expect(closed.find((c) => c.id === left.body.data.id)).toMatchObject({
      status: "graded",
      end_reason: "time-expired",
    });
    expect(Number(closed.find((c) => c.id === left.body.data.id)?.points_earned)).toBe(1);
    expect(closed.find((c) => c.id === idle.body.data.id)).toMatchObject({
      status: "graded",
      end_reason: "abandoned",
    });
    const note = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", otto.user.id)
      .where("type", "=", "quiz-graded")
      .execute();
    expect(note).toHaveLength(1);
    t.clock.set("2026-03-02T09:00:00Z");
  });

  it("says late answers were ignored when the attempt had already closed at its deadline", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { timeLimitMinutes: 10 },
      questions: [SAMPLE.mc, SAMPLE.tf],
    });
    let lena = await enrolledLearner(t, quiz.course_id);
    const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)).body.data;
    const mc = byText(attempt, SAMPLE.mc.text);
    // The worker closes the attempt at its deadline, before the learner's submit arrives.
    t.clock.set("2026-03-02T09:10:05Z");
    expect(await closeOverdueAttempts(t.system)).toBe(1);
    lena = await refresh(t, lena);
    let res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      { answers: [{ questionId: mc, response: { selected: ["b"] } }] },
      lena,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      alreadySubmitted: true,
      lateAnswersIgnored: true,
      ignoredAnswers: [{ index: 0, questionId: mc, reason: "after-deadline" }],
      endReason: "time-expired",
      pointsEarned: 0,
    });
    const stored = await t.system.db
      .selectFrom("quiz_answers")
      .select("response")
      .where("attempt_id", "=", attempt.id)
      .where("quiz_question_id", "=", mc)
      .executeTakeFirstOrThrow();
    expect(stored.response).toBeNull();
    // Without answers nothing was ignored.
    res = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, {}, lena);
    expect(res.body.data).toMatchObject({ alreadySubmitted: true, lateAnswersIgnored: false });

    // An attempt submitted in time: a repeat after the deadline is a double submit, not late.
    t.clock.set("2026-03-02T09:00:00Z");
    const ole = await enrolledLearner(t, quiz.course_id, "Ole");
    const second = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, ole)).body.data;
    const answers = [{ questionId: byText(second, SAMPLE.mc.text), response: { selected: ["b"] } }];
    res = await t.http.post(`/api/v1/attempts/${second.id}/submit`, { answers }, ole);
    expect(res.body.data).toMatchObject({ lateAnswersIgnored: false, pointsEarned: 2 });
    t.clock.set("2026-03-02T09:10:05Z");
    res = await t.http.post(
      `/api/v1/attempts/${second.id}/submit`,
      { answers },
      await refresh(t, ole),
    );
    expect(res.body.data).toMatchObject({
      alreadySubmitted: true,
      lateAnswersIgnored: false,
      ignoredAnswers: [{ index: 0, reason: "already-submitted" }],
      pointsEarned: 2,
    });
    t.clock.set("2026-03-02T09:00:00Z");
  });

  it("keeps earlier questions closed when the quiz does not go back", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { allowBackNavigation: false },
      questions: [SAMPLE.mc, SAMPLE.tf, SAMPLE.short],
    });
    const lena = await enrolledLearner(t, quiz.course_id);
    const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)).body.data;
    const [first, second, third] = attempt.questions.map((q: { id: string }) => q.id);
    let res = await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: third, response: { text: "http" } }] },
      lena,
    );
    expect(res.body.data.currentPosition).toBe(3);
    expect(res.body.data.questions.map((q: { locked: boolean }) => q.locked)).toEqual([
      true,
      true,
      false,
    ]);
    for (const id of [first, second]) {
      res = await t.http.put(
        `/api/v1/attempts/${attempt.id}/answers`,
        { answers: [{ questionId: id, response: null }] },
        lena,
      );
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("QUESTION_LOCKED");
    }
  });

  it("submits without back navigation, leaving out answers to questions already closed", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { allowBackNavigation: false },
      questions: [SAMPLE.mc, SAMPLE.tf, SAMPLE.short],
    });
    const lena = await enrolledLearner(t, quiz.course_id);
    const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)).body.data;
    const [mc, tf, short] = [SAMPLE.mc, SAMPLE.tf, SAMPLE.short].map((q) =>
      byText(attempt, q.text),
    );
    await t.http.put(
      `/api/v1/attempts/${attempt.id}/answers`,
      { answers: [{ questionId: tf, response: { value: false } }] },
      lena,
    );
    // The multiple-choice question is closed now; the true/false one too once the short answer
    // comes first in the submit.
    const res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      {
        answers: [
          { questionId: mc, response: { selected: ["b"] } },
          { questionId: short, response: { text: "HTTP" } },
          { questionId: tf, response: { value: true } },
        ],
      },
      lena,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      status: "graded",
      endReason: "submitted",
      alreadySubmitted: false,
      lateAnswersIgnored: false,
      ignoredAnswers: [
        { index: 0, questionId: mc, reason: "question-locked" },
        { index: 2, questionId: tf, reason: "question-locked" },
      ],
      // Only the short answer (1 point) counts; the saved true/false answer stays wrong.
      pointsEarned: 1,
      pointsPossible: 4,
      currentPosition: 3,
    });
    const stored = await t.system.db
      .selectFrom("quiz_answers")
      .select(["quiz_question_id", "response", "outcome"])
      .where("attempt_id", "=", attempt.id)
      .execute();
    const by = (id?: string) => stored.find((a) => a.quiz_question_id === id);
    expect(by(mc)).toMatchObject({ response: null, outcome: "unanswered" });
    expect(by(tf)).toMatchObject({ response: { value: false }, outcome: "incorrect" });
    expect(by(short)).toMatchObject({ response: { text: "HTTP" }, outcome: "correct" });
  });

  it("draws a pool: some questions per attempt, each attempt its own draw", async () => {
    const { quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { questionsPerAttempt: 3 },
      questions: ALL_GRADED,
    });
    const draws = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const learner = await enrolledLearner(t, quiz.course_id, `P${i}`);
      const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, learner)).body
        .data;
      expect(attempt.questions).toHaveLength(3);
      draws.add(attempt.questions.map((q: { id: string }) => q.id).join());
      const done = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, {}, learner);
      // Only the drawn questions count towards the score.
      const drawn = done.body.data.questions.reduce(
        (n: number, q: { result: { maxPoints: number } }) => n + q.result.maxPoints,
        0,
      );
      expect(done.body.data.pointsPossible).toBe(drawn);
      expect(attempt.pointsPossible).toBe(drawn);
    }
    expect(draws.size).toBeGreaterThan(1);
  });
});
