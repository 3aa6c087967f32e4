import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byText, enrolledLearner, quizCourse, SAMPLE } from "../../../test/assessments.js";
import { makeOrganization } from "../../../test/factories.js";
import { createTestApp, type TestApp } from "../../../test/harness.js";
import { putStaff } from "../catalog/staff.js";
import { AI_GRADE_JOB } from "./attempt-close.js";
import { aiGradeAttempt } from "./grade.js";

let t: TestApp;
let org: Awaited<ReturnType<typeof makeOrganization>>;
let elsewhere: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t, {
    people: [
      { key: "teacher", roles: ["learner", "instructor"] },
      { key: "assistant", roles: ["learner", "teaching-assistant"] },
    ],
  });
  elsewhere = await makeOrganization(t, {
    people: [{ key: "teacher", roles: ["learner", "instructor"] }],
  });
});
afterAll(() => t.close());

const people = () => ({
  teacher: org.people.teacher!,
  assistant: org.people.assistant!,
  outsider: elsewhere.people.teacher!,
});

async function essayQuiz(settings: Record<string, unknown> = {}) {
  const built = await quizCourse(t, {
    instructorId: people().teacher.user.id,
    organizationId: org.org.id,
    settings: { passingScore: 50, ...settings },
    questions: [SAMPLE.mc, SAMPLE.essay],
  });
  await putStaff(t.system, built.course.id, people().assistant.user.id, {
    role: "teaching-assistant",
  });
  return built;
}

async function orgLearner(courseId: string, name: string) {
  const learner = await enrolledLearner(t, courseId, name);
  const { addMember } = await import("../organizations/service.js");
  await addMember(t.system, org.org.id, { userId: learner.user.id, roleKeys: ["learner"] });
  return learner;
}

async function submitEssay(courseId: string, quizId: string, name: string, essay: string) {
  const learner = await orgLearner(courseId, name);
  const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, learner)).body.data;
  const res = await t.http.post(
    `/api/v1/attempts/${attempt.id}/submit`,
    {
      answers: [
        { questionId: byText(attempt, SAMPLE.mc.text), response: { selected: ["b"] } },
        { questionId: byText(attempt, SAMPLE.essay.text), response: { text: essay } },
      ],
    },
    learner,
  );
  return { learner, attempt: res.body.data, essayId: byText(attempt, SAMPLE.essay.text) };
}

describe("manual grading", () => {
  it("queues open answers for the course's graders, grades with a rubric, and records regrades", async () => {
    const { course, quiz } = await essayQuiz();
    const { teacher, assistant, outsider } = people();
    const { learner, attempt, essayId } = await submitEssay(
      course.id,
      quiz.id,
      "Gina",
      "It scrambles the bytes so nobody on the path can read them.",
    );
    expect(attempt).toMatchObject({ status: "submitted", pendingManual: 1, passed: null });
    const job = await t.system.db
      .selectFrom("jobs")
      .select("payload")
      .where("name", "=", AI_GRADE_JOB)
      .execute();
    expect(job.map((j) => j.payload)).toContainEqual({ attemptId: attempt.id });

    let res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue`, assistant);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      attemptId: attempt.id,
      questionId: essayId,
      outcome: "needs-grading",
      learner: { id: learner.user.id },
      response: { text: expect.stringContaining("scrambles") },
      question: { type: "essay", rubric: [{ points: 2 }, { points: 2 }] },
    });
    for (const who of [outsider, learner]) {
      res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue`, who);
      expect([403, 404]).toContain(res.status);
      res = await t.http.post(`/api/v1/attempts/${attempt.id}/grade`, { answers: [] }, who);
      expect([403, 404]).toContain(res.status);
    }

    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/grade`,
      { answers: [{ questionId: essayId, rubricScores: [2] }] },
      assistant,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("answers.0.rubricScores");
    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/grade`,
      { answers: [{ questionId: essayId, points: 5 }] },
      assistant,
    );
    expect(res.status).toBe(400);

    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/grade`,
      {
        answers: [
          { questionId: essayId, rubricScores: [2, 0], feedback: "Say how keys are trusted." },
        ],
        feedback: "Good start.",
      },
      assistant,
    );
    expect(res.status).toBe(200);
    // 2 (multiple choice) + 2 (essay) of 6.
    expect(res.body.data).toMatchObject({
      status: "graded",
      pointsEarned: 4,
      pointsPossible: 6,
      score: 66.67,
      passed: true,
      pendingManual: 0,
      feedback: "Good start.",
    });
    const essay = res.body.data.questions.find((q: { id: string }) => q.id === essayId);
    expect(essay.grading).toMatchObject({
      rubricScores: [2, 0],
      manualOverride: false,
      gradedBy: assistant.user.id,
      grader: { id: assistant.user.id, name: expect.stringMatching(/\S/) },
    });
    // Graders see whose attempt it is; the queue's graded list leads back to it.
    expect(res.body.data.learner).toMatchObject({ id: learner.user.id, name: "Gina Lovelace" });
    res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue?show=graded`, teacher);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        attemptId: attempt.id,
        questionId: essayId,
        outcome: "partial",
        points: 2,
        gradedBy: { id: assistant.user.id, name: expect.stringMatching(/\S/) },
        manualOverride: false,
      }),
    ]);
    res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue`, teacher);
    expect(res.body.data).toEqual([]);

    res = await t.http.get(`/api/v1/attempts/${attempt.id}`, learner);
    expect(res.body.data.questions.find((q: { id: string }) => q.id === essayId)).toMatchObject({
      feedback: "Say how keys are trusted.",
      result: { outcome: "partial", points: 2, maxPoints: 4 },
    });
    expect(res.body.data.learner).toBeUndefined();
    const notes = await t.system.db
      .selectFrom("notifications")
      .select("title")
      .where("user_id", "=", learner.user.id)
      .where("type", "=", "quiz-graded")
      .execute();
    expect(notes).toEqual([{ title: `${quiz.title}: graded` }]);

    // A regrade of an automatically graded answer is a manual override, and audited.
    res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/grade`,
      { answers: [{ questionId: byText(res.body.data, SAMPLE.mc.text), points: 0 }] },
      teacher,
    );
    expect(res.body.data).toMatchObject({ pointsEarned: 2, score: 33.33, passed: false });
    const mc = res.body.data.questions.find(
      (q: { question: { type: string } }) => q.question.type === "multiple-choice",
    );
    expect(mc.grading.manualOverride).toBe(true);
    const trail = await t.system.db
      .selectFrom("audit_logs")
      .select(["action", "after"])
      .where("entity_id", "=", attempt.id)
      .orderBy("created_at")
      .execute();
    // Both happened at the same (manual) clock time: compare as a set.
    expect(trail.map((a) => a.action).sort()).toEqual([
      "quiz-attempt.grade",
      "quiz-attempt.regrade",
    ]);
    const regrade = trail.find((a) => a.action === "quiz-attempt.regrade")?.after as {
      answers: unknown[];
    };
    expect(regrade.answers).toEqual([
      {
        questionId: mc.id,
        before: { outcome: "correct", points: 2 },
        after: { outcome: "incorrect", points: 0 },
        manualOverride: true,
      },
    ]);
    const standing = await t.system.db
      .selectFrom("quiz_results")
      .select(["passed", "best_score"])
      .where("quiz_id", "=", quiz.id)
      .where("user_id", "=", learner.user.id)
      .executeTakeFirstOrThrow();
    expect(standing).toMatchObject({ passed: false });
    expect(Number(standing.best_score)).toBe(33.33);
    res = await t.http.get(`/api/v1/quizzes/${quiz.id}/results`, assistant);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        userId: learner.user.id,
        attemptsUsed: 1,
        bestScore: 33.33,
        passed: false,
      }),
    ]);
  });

  it("refuses to grade an attempt still being taken", async () => {
    const { course, quiz } = await essayQuiz();
    const learner = await orgLearner(course.id, "Hugo");
    const attempt = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, learner)).body.data;
    const res = await t.http.post(
      `/api/v1/attempts/${attempt.id}/grade`,
      { answers: [] },
      people().teacher,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("ATTEMPT_IN_PROGRESS");
  });
});

describe("AI-assisted grading", () => {
  it("grades when sure, grades and flags when fairly sure, leaves the rest to a person", async () => {
    const { course, quiz } = await essayQuiz();
    const sure = await submitEssay(
      course.id,
      quiz.id,
      "Sure",
      "TLS protects data in transit in two ways. First, it will encrypt every byte with session " +
        "keys agreed in a handshake, so nobody on the path can read or change the traffic. " +
        "Second, the server proves who it is with a certificate signed by an authority the " +
        "browser trusts, so the client knows it talks to the right host.",
    );
    // Both criteria, but shorter than expected: graded, and flagged for a person to look at.
    const fairly = await submitEssay(
      course.id,
      quiz.id,
      "Fairly",
      "TLS will encrypt all of the traffic between the browser and the server. Each server also " +
        "shows a certificate signed by a trusted authority.",
    );
    const unsure = await submitEssay(
      course.id,
      quiz.id,
      "Unsure",
      "Data is encrypted so that others along the way cannot read what passes between the two ends.",
    );
    expect(await aiGradeAttempt(t.system, sure.attempt.id)).toEqual({
      graded: 1,
      flagged: 0,
      manual: 0,
    });
    expect(await aiGradeAttempt(t.system, fairly.attempt.id)).toEqual({
      graded: 0,
      flagged: 1,
      manual: 0,
    });
    expect(await aiGradeAttempt(t.system, unsure.attempt.id)).toEqual({
      graded: 0,
      flagged: 0,
      manual: 1,
    });
    // Running again changes nothing.
    expect(await aiGradeAttempt(t.system, unsure.attempt.id)).toEqual({
      graded: 0,
      flagged: 0,
      manual: 0,
    });

    const teacher = people().teacher;
    let res = await t.http.get(`/api/v1/attempts/${sure.attempt.id}`, teacher);
    expect(res.body.data).toMatchObject({ status: "graded", pointsEarned: 6, passed: true });
    expect(
      res.body.data.questions.find((q: { id: string }) => q.id === sure.essayId).grading.ai,
    ).toMatchObject({
      grader: "local-rubric",
      points: 4,
      confidence: 1,
      decision: "graded",
    });

    res = await t.http.get(`/api/v1/attempts/${fairly.attempt.id}`, teacher);
    expect(res.body.data).toMatchObject({
      status: "graded",
      flaggedForReview: true,
      pointsEarned: 6,
    });
    res = await t.http.get(`/api/v1/attempts/${unsure.attempt.id}`, teacher);
    expect(res.body.data).toMatchObject({ status: "submitted", pendingManual: 1 });

    res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue?show=flagged`, teacher);
    expect(res.body.data.map((i: { attemptId: string }) => i.attemptId)).toEqual([
      fairly.attempt.id,
    ]);
    res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue?show=pending`, teacher);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({
      attemptId: unsure.attempt.id,
      ai: { decision: "manual", points: 2 },
    });
    expect(res.body.data[0].ai.confidence).toBeLessThan(0.7);

    // The instructor confirms the pending one as suggested, and overrides the flagged one.
    res = await t.http.post(
      `/api/v1/attempts/${unsure.attempt.id}/grade`,
      { answers: [{ questionId: unsure.essayId, points: 2 }] },
      teacher,
    );
    expect(
      res.body.data.questions.find((q: { id: string }) => q.id === unsure.essayId).grading
        .manualOverride,
    ).toBe(false);
    res = await t.http.post(
      `/api/v1/attempts/${fairly.attempt.id}/grade`,
      {
        answers: [{ questionId: fairly.essayId, points: 3, feedback: "Too short to earn it all." }],
      },
      teacher,
    );
    expect(res.body.data).toMatchObject({ pointsEarned: 5, flaggedForReview: false });
    const essay = res.body.data.questions.find((q: { id: string }) => q.id === fairly.essayId);
    expect(essay.grading).toMatchObject({
      manualOverride: true,
      ai: { points: 4, decision: "graded-flagged" },
    });
    res = await t.http.get(`/api/v1/courses/${course.id}/grading-queue`, teacher);
    expect(res.body.data).toEqual([]);
  });

  it("leaves a keyword-stuffed essay to a person instead of counting it", async () => {
    const { course, quiz } = await essayQuiz();
    // Two words, both the rubric's keywords: the local grader would give 4 of 4.
    const stuffed = await submitEssay(course.id, quiz.id, "Stuffed", "encrypt certificate");
    expect(await aiGradeAttempt(t.system, stuffed.attempt.id)).toEqual({
      graded: 0,
      flagged: 0,
      manual: 1,
    });
    const answer = await t.system.db
      .selectFrom("quiz_answers")
      .select(["outcome", "points", "ai_points", "ai_confidence", "ai_decision"])
      .where("attempt_id", "=", stuffed.attempt.id)
      .where("quiz_question_id", "=", stuffed.essayId)
      .executeTakeFirstOrThrow();
    expect(answer).toMatchObject({ outcome: "needs-grading", ai_decision: "manual" });
    expect(Number(answer.points)).toBe(0);
    expect(Number(answer.ai_points)).toBe(4);
    expect(Number(answer.ai_confidence)).toBeLessThan(0.7);
    const attempt = await t.system.db
      .selectFrom("quiz_attempts")
      .select(["status", "pending_manual", "passed", "points_earned"])
      .where("id", "=", stuffed.attempt.id)
      .executeTakeFirstOrThrow();
    // Only the multiple-choice points count until a person grades the essay.
    expect(attempt).toMatchObject({ status: "submitted", pending_manual: 1, passed: null });
    expect(Number(attempt.points_earned)).toBe(2);
    const res = await t.http.get(
      `/api/v1/courses/${course.id}/grading-queue?show=pending`,
      people().teacher,
    );
    expect(res.body.data).toEqual([
      expect.objectContaining({
        attemptId: stuffed.attempt.id,
        outcome: "needs-grading",
        ai: expect.objectContaining({ decision: "manual", points: 4 }),
      }),
    ]);
  });
});
