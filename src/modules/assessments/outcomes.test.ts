import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledLearner, quizCourse } from "../../../test/assessments.js";
import { signedInUser } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import type { QuestionDefinition } from "./questions.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "./quizzes.js";

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true, firstName: "Ines" });
});
afterAll(() => t.close());

type Learner = Awaited<ReturnType<typeof enrolledLearner>>;

/** Takes a quiz of true/false questions, answering `right` of them correctly (in served order). */
async function takeTrueFalse(who: Learner, quizId: string, right: number) {
  const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, who)).body.data;
  const answers = attempt.questions.map((q: { id: string }, i: number) => ({
    questionId: q.id,
    response: { value: i < right },
  }));
  const res = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, { answers }, who);
  expect(res.status).toBe(200);
  return res.body.data;
}

const tf = (n: number, skill: string): QuestionDefinition =>
  ({
    type: "true-false",
    text: `Statement ${n} (${skill})`,
    points: 1,
    correct: true,
    skillIds: [skill],
  }) as QuestionDefinition;

async function completeLesson(who: Learner, lessonId: string) {
  await t.http.post(`/api/v1/lessons/${lessonId}/start`, {}, who);
  return (await t.http.post(`/api/v1/lessons/${lessonId}/complete`, {}, who)).body.data;
}

describe("quiz results in the course", () => {
  it("a required quiz holds completion until passed; a certification quiz then issues the certificate", async () => {
    const { course, quiz, lesson } = await quizCourse(t, {
      instructorId: instructor.user.id,
      withLesson: true,
      settings: { kind: "certification", passingScore: 100 },
      questions: [tf(1, "net"), tf(2, "net")],
    });
    const lena = await enrolledLearner(t, course.id);
    const done = await completeLesson(lena, lesson!.id);
    expect(done).toMatchObject({ courseCompleted: false, moduleCompleted: false });
    let map = await t.http.get(`/api/v1/enrollments/${lena.enrollment.id}/progress`, lena);
    expect(map.body.data.enrollment.progressPercent).toBe(50);
    expect(map.body.data.modules[0].quizzes).toEqual([
      expect.objectContaining({
        id: quiz.id,
        kind: "certification",
        counted: false,
        attemptsUsed: 0,
      }),
    ]);

    const failed = await takeTrueFalse(lena, quiz.id, 1);
    expect(failed).toMatchObject({ score: 50, passed: false });
    let enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "progress_percent"])
      .where("id", "=", lena.enrollment.id)
      .executeTakeFirstOrThrow();
    expect(enrollment.status).toBe("active");

    const passed = await takeTrueFalse(lena, quiz.id, 2);
    expect(passed).toMatchObject({ score: 100, passed: true });
    enrollment = await t.system.db
      .selectFrom("enrollments")
      .select(["status", "progress_percent"])
      .where("id", "=", lena.enrollment.id)
      .executeTakeFirstOrThrow();
    expect(enrollment).toMatchObject({ status: "completed" });
    expect(Number(enrollment.progress_percent)).toBe(100);
    map = await t.http.get(`/api/v1/enrollments/${lena.enrollment.id}/progress`, lena);
    expect(map.body.data.modules[0]).toMatchObject({
      completed: true,
      quizzes: [
        expect.objectContaining({ counted: true, passed: true, bestScore: 100, attemptsUsed: 2 }),
      ],
    });
    const certs = await t.system.db
      .selectFrom("certificates")
      .select("enrollment_id")
      .where("user_id", "=", lena.user.id)
      .execute();
    expect(certs).toEqual([{ enrollment_id: lena.enrollment.id }]);
  });

  it("a certification quiz that is not required still gates the certificate, and passing it later issues one", async () => {
    const { course, quiz, lesson } = await quizCourse(t, {
      instructorId: instructor.user.id,
      withLesson: true,
      settings: { kind: "certification", requiredForCompletion: false, passingScore: 50 },
      questions: [tf(1, "net"), tf(2, "net")],
    });
    const lena = await enrolledLearner(t, course.id);
    expect(await completeLesson(lena, lesson!.id)).toMatchObject({ courseCompleted: true });
    const count = async () =>
      (
        await t.system.db
          .selectFrom("certificates")
          .select("id")
          .where("user_id", "=", lena.user.id)
          .execute()
      ).length;
    expect(await count()).toBe(0);
    await takeTrueFalse(lena, quiz.id, 2);
    expect(await count()).toBe(1);
    // Passing again issues nothing more.
    await takeTrueFalse(lena, quiz.id, 2);
    expect(await count()).toBe(1);
  });

  it("surveys count when taken, without a score", async () => {
    const { course, quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { kind: "survey" },
      questions: [{ type: "rating-scale", text: "How was it?", min: 1, max: 5 }],
    });
    const lena = await enrolledLearner(t, course.id);
    const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)).body.data;
    let res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      { answers: [{ questionId: attempt.questions[0].id, response: { rating: 9 } }] },
      lena,
    );
    expect(res.status).toBe(400);
    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/submit`,
      { answers: [{ questionId: attempt.questions[0].id, response: { rating: 4 } }] },
      lena,
    );
    expect(res.body.data).toMatchObject({ status: "graded", score: null, passed: null });
    const enrollment = await t.system.db
      .selectFrom("enrollments")
      .select("status")
      .where("id", "=", lena.enrollment.id)
      .executeTakeFirstOrThrow();
    expect(enrollment.status).toBe("completed");
  });
});

describe("learning gain", () => {
  it("pairs each learner's pre- and post-course scores, per skill, cohort and course", async () => {
    const {
      course,
      module,
      quiz: pre,
    } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { kind: "pre-course", requiredForCompletion: false },
      questions: [tf(1, "net"), tf(2, "net"), tf(3, "net"), tf(4, "sec"), tf(5, "sec")],
    });
    const post = await createQuiz(t.system, module.id, {
      title: "After",
      kind: "post-course",
      requiredForCompletion: false,
    });
    for (let n = 1; n <= 5; n++)
      await addQuizQuestion(t.system, post.id, { question: tf(n, n <= 3 ? "net" : "sec") });
    await updateQuiz(t.system, post.id, { isPublished: true });

    const [ada, ben, cy] = [
      await enrolledLearner(t, course.id, "Ada"),
      await enrolledLearner(t, course.id, "Ben"),
      await enrolledLearner(t, course.id, "Cy"),
    ];
    // Served in written order (no randomization): the first `right` answers are right.
    await takeTrueFalse(ada, pre.id, 2); // 40: net 2/3, sec 0/2
    await takeTrueFalse(ada, post.id, 5); // 100
    await takeTrueFalse(ben, pre.id, 5); // 100: at the ceiling
    await takeTrueFalse(ben, post.id, 5);
    await takeTrueFalse(cy, pre.id, 1); // 20
    await takeTrueFalse(cy, post.id, 3); // 60: net 3/3, sec 0/2

    let res = await t.http.get(`/api/v1/enrollments/${ada.enrollment.id}/learning-gain`, ada);
    expect(res.body.data).toMatchObject({
      preScore: 40,
      postScore: 100,
      scoreImprovement: 60,
      percentageGain: 150,
      normalizedGain: 1,
      band: "high",
      atCeiling: false,
      skillGains: [
        { skillId: "net", preScore: 66.67, postScore: 100, improvement: 33.33, normalizedGain: 1 },
        { skillId: "sec", preScore: 0, postScore: 100, improvement: 100, normalizedGain: 1 },
      ],
    });
    res = await t.http.get(`/api/v1/enrollments/${ben.enrollment.id}/learning-gain`, ben);
    expect(res.body.data).toMatchObject({ normalizedGain: null, band: null, atCeiling: true });
    res = await t.http.get(`/api/v1/enrollments/${ada.enrollment.id}/learning-gain`, cy);
    expect(res.status).toBe(404);

    res = await t.http.get(`/api/v1/courses/${course.id}/learning-gain`, instructor);
    expect(res.status).toBe(200);
    const report = res.body.data;
    // Gains 1.0 (Ada) and 0.5 (Cy); Ben is at the ceiling.
    expect(report.course).toMatchObject({
      learners: 3,
      atCeiling: 1,
      included: 2,
      averageGain: 0.75,
      band: "high",
      bands: { high: 1, medium: 1, low: 0 },
    });
    // Class gain over Ada and Cy, as the mean gain: mean pre 30, mean post 80 → 50 / 70.
    expect(report.course.classGain).toBeCloseTo(0.7143, 4);
    expect(report.learners.map((l: { name: string }) => l.name)).toHaveLength(3);
    const sec = report.skills.find((s: { skillId: string }) => s.skillId === "sec");
    // sec: Ada 0 → 100 (g 1), Ben 100 → 100 (ceiling), Cy 0 → 0 (g 0).
    expect(sec).toMatchObject({ learners: 3, atCeiling: 1, averageGain: 0.5 });
    res = await t.http.get(`/api/v1/courses/${course.id}/learning-gain`, ada);
    expect(res.status).toBe(403);
  });
});

describe("item analysis", () => {
  it("reports difficulty, discrimination, option counts and the score distribution", async () => {
    const { course, quiz } = await quizCourse(t, {
      instructorId: instructor.user.id,
      questions: [
        {
          type: "multiple-choice",
          text: "Pick b",
          points: 1,
          options: [
            { id: "a", text: "A" },
            { id: "b", text: "B", correct: true },
            { id: "c", text: "C" },
          ],
        },
        { type: "true-false", text: "Say true", points: 1, correct: true },
      ],
    });
    // Six learners: (mc choice, tf answer) → scores.
    const plan: Array<[string, boolean]> = [
      ["b", true], // 100
      ["b", true], // 100
      ["b", false], // 50
      ["a", true], // 50
      ["a", false], // 0
      ["a", false], // 0
    ];
    for (const [i, [choice, value]] of plan.entries()) {
      const who = await enrolledLearner(t, course.id, `L${i}`);
      const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, who)).body.data;
      const [mc, tfq] = attempt.questions;
      await t.http.post(
        `/api/v1/attempts/${attempt.id}/submit`,
        {
          answers: [
            { questionId: mc.id, response: { selected: [choice] } },
            { questionId: tfq.id, response: { value } },
          ],
        },
        who,
      );
    }
    const res = await t.http.get(`/api/v1/quizzes/${quiz.id}/item-analysis`, instructor);
    expect(res.status).toBe(200);
    const { items, scoreDistribution } = res.body.data;
    expect(scoreDistribution).toMatchObject({
      attempts: 6,
      mean: 50,
      median: 50,
      min: 0,
      max: 100,
      passRate: 33.33,
    });
    expect(scoreDistribution.buckets[0].count).toBe(2);
    expect(scoreDistribution.buckets[5].count).toBe(2);
    expect(scoreDistribution.buckets[9].count).toBe(2);
    const [mc, tfItem] = items;
    expect(mc).toMatchObject({ responses: 6, difficulty: 0.5, discrimination: 1 });
    expect(mc.options).toEqual([
      { id: "a", text: "A", correct: false, count: 3 },
      { id: "b", text: "B", correct: true, count: 3 },
      { id: "c", text: "C", correct: false, count: 0 },
    ]);
    expect(mc.flags).toContain("unused-distractor");
    expect(mc.pointBiserial).toBeGreaterThan(0);
    expect(tfItem).toMatchObject({ difficulty: 0.5, outcomes: { correct: 3, incorrect: 3 } });
    const learner = await enrolledLearner(t, course.id, "Nosy");
    expect((await t.http.get(`/api/v1/quizzes/${quiz.id}/item-analysis`, learner)).status).toBe(
      403,
    );
  });
});

describe("course gradebook", () => {
  it("weights each learner's best scores by the quizzes' weights", async () => {
    const {
      course,
      module,
      quiz: first,
    } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { weightPercent: 40, requiredForCompletion: false },
      questions: [tf(1, "a"), tf(2, "a")],
    });
    const second = await createQuiz(t.system, module.id, {
      title: "Second",
      weightPercent: 60,
      requiredForCompletion: false,
    });
    await addQuizQuestion(t.system, second.id, { question: tf(3, "a") });
    await updateQuiz(t.system, second.id, { isPublished: true });
    // A survey carries no weight and stays out of the grade.
    const ana = await enrolledLearner(t, course.id, "Ana");
    const bo = await enrolledLearner(t, course.id, "=SUM(A1)");
    await takeTrueFalse(ana, first.id, 1); // 50
    await takeTrueFalse(ana, first.id, 0); // 0: the best (50) counts
    await takeTrueFalse(ana, second.id, 1); // 100
    await takeTrueFalse(bo, first.id, 2); // 100

    let res = await t.http.get(`/api/v1/courses/${course.id}/gradebook`, instructor);
    expect(res.status).toBe(200);
    expect(res.body.data.quizzes.map((q: { weightShare: number }) => q.weightShare)).toEqual([
      40, 60,
    ]);
    const row = (userId: string) =>
      res.body.data.learners.find((l: { userId: string }) => l.userId === userId);
    expect(row(ana.user.id)).toMatchObject({ currentGrade: 80, finalGrade: 80 });
    expect(row(ana.user.id).scores[0]).toMatchObject({ bestScore: 50, attemptsUsed: 2 });
    // The best attempt (the first, 50) and the latest (the second, 0) are named.
    const anaAttempts = await t.system.db
      .selectFrom("quiz_attempts")
      .select("id")
      .where("user_id", "=", ana.user.id)
      .where("quiz_id", "=", first.id)
      .orderBy("attempt_number")
      .execute();
    expect(row(ana.user.id).scores[0]).toMatchObject({
      bestAttemptId: anaAttempts[0]?.id,
      lastAttemptId: anaAttempts[1]?.id,
    });
    expect(row(bo.user.id)).toMatchObject({ currentGrade: 100, finalGrade: 40 });

    res = await t.http.get(`/api/v1/enrollments/${bo.enrollment.id}/grades`, bo);
    expect(res.body.data).toMatchObject({ currentGrade: 100, finalGrade: 40 });
    res = await t.http.get(`/api/v1/courses/${course.id}/gradebook`, bo);
    expect(res.status).toBe(403);
    res = await t.http.get(`/api/v1/courses/${course.id}/gradebook?format=csv`, instructor);
    expect(res.headers["content-type"]).toContain("text/csv");
    const lines = String(res.body).trim().split("\r\n");
    expect(lines[0]).toBe(`name,email,${first.title},Second,current grade,final grade`);
    expect(lines).toHaveLength(3);
    // Text a spreadsheet would run as a formula is defused.
    expect(lines.find((l) => l.includes("SUM"))).toMatch(/^'=SUM\(A1\)/);
  });
});
