import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledLearner, quizCourse, refresh, SAMPLE } from "../../../test/assessments.js";
import { signedInUser } from "../../../test/factories.js";
import { type Credentials, createTestApp, type TestApp } from "../../../test/harness.js";
import type { GraderProvider } from "./ai-grading.js";
import { aiGradeAttempt } from "./grade.js";
import type { AnswerPolicy } from "./schema.js";

/**
 * The answer-visibility policy: every endpoint a learner can call during and after an attempt
 * is walked, and nothing of the answer key may show before the quiz's policy allows it.
 */

let t: TestApp;
let instructor: Awaited<ReturnType<typeof signedInUser>>;

beforeAll(async () => {
  t = await createTestApp();
  instructor = await signedInUser(t, { platformAdmin: true });
});
afterAll(() => t.close());

/** Whatever of an answer key could appear in a response. */
const SECRETS = [
  /SECRET-/,
  /secretanswer/,
  /thirty-two/,
  /"correct"/,
  /"correctOptionIds"/,
  /"accepted"/,
  /"key"/,
  /"pairs"/,
  /"rubric"/,
  /"keywords"/,
  /"explanation"/,
  /"result"/,
];

function leaks(body: unknown): string[] {
  const text = JSON.stringify(body);
  return SECRETS.filter((s) => s.test(text)).map(String);
}

type Learner = Awaited<ReturnType<typeof enrolledLearner>>;

/** Calls every learner-facing endpoint that touches the quiz; returns what leaked where. */
async function walk(
  who: Learner,
  quizId: string,
  attemptId: string,
  courseId: string,
  during = false,
) {
  const calls: Array<[string, Promise<{ status: number; body: unknown }>]> = [
    ["summary", t.http.get(`/api/v1/quizzes/${quizId}/summary`, who)],
    ["my attempts", t.http.get(`/api/v1/quizzes/${quizId}/attempts`, who)],
    ["attempt", t.http.get(`/api/v1/attempts/${attemptId}`, who)],
    ["course map", t.http.get(`/api/v1/enrollments/${who.enrollment.id}/progress`, who)],
    ["learning gain", t.http.get(`/api/v1/enrollments/${who.enrollment.id}/learning-gain`, who)],
    ["authoring view", t.http.get(`/api/v1/quizzes/${quizId}`, who)],
    ["course quizzes", t.http.get(`/api/v1/courses/${courseId}/quizzes`, who)],
    ["gradebook", t.http.get(`/api/v1/quizzes/${quizId}/results`, who)],
    ["item analysis", t.http.get(`/api/v1/quizzes/${quizId}/item-analysis`, who)],
    ["grading queue", t.http.get(`/api/v1/courses/${courseId}/grading-queue`, who)],
  ];
  // Starting again resumes the open attempt (after submitting it would begin a new one).
  if (during) calls.push(["start/resume", t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, who)]);
  const found: string[] = [];
  for (const [name, call] of calls) {
    const res = await call;
    for (const leak of leaks(res.body)) found.push(`${name} (${res.status}): ${leak}`);
  }
  return found;
}

/** Answers everything wrong (or right) and submits. */
async function take(who: Learner, quizId: string, courseId: string, right: boolean) {
  const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, who)).body.data;
  const answers = attempt.questions.map((q: { id: string; question: { type: string } }) => ({
    questionId: q.id,
    response:
      q.question.type === "multiple-choice"
        ? { selected: [right ? "b" : "a"] }
        : q.question.type === "true-false"
          ? { value: right }
          : q.question.type === "short-answer"
            ? { text: right ? "HTTP" : "gopher" }
            : { blanks: right ? ["4", "32"] : ["6", "128"] },
  }));
  // Mid-attempt: autosave, then walk everything before submitting.
  const saved = await t.http.put(`/api/v1/attempts/${attempt.id}/answers`, { answers }, who);
  expect(leaks(saved.body)).toEqual([]);
  expect(leaks(attempt)).toEqual([]);
  expect(await walk(who, quizId, attempt.id, courseId, true)).toEqual([]);
  const submitted = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, {}, who);
  return { id: attempt.id, submitted: submitted.body.data };
}

async function policyQuiz(policy: AnswerPolicy, extra: Record<string, unknown> = {}) {
  const { quiz, course } = await quizCourse(t, {
    instructorId: instructor.user.id,
    settings: { showCorrectAnswers: policy, attemptLimit: 2, passingScore: 50, ...extra },
    questions: [SAMPLE.mc, SAMPLE.tf, SAMPLE.short, SAMPLE.blank],
  });
  return { quiz, course };
}

describe("answer visibility", () => {
  it("never: no key during or after any attempt", async () => {
    const { quiz, course } = await policyQuiz("never");
    const lena = await enrolledLearner(t, course.id);
    const first = await take(lena, quiz.id, course.id, true);
    expect(first.submitted).toMatchObject({ score: 100, passed: true, answersRevealed: false });
    expect(leaks(first.submitted)).toEqual([]);
    expect(await walk(lena, quiz.id, first.id, course.id)).toEqual([]);
  });

  it("after-submit: the key of a submitted attempt, never while another attempt is open", async () => {
    const { quiz, course } = await policyQuiz("after-submit");
    const lena = await enrolledLearner(t, course.id);
    const first = await take(lena, quiz.id, course.id, false);
    expect(first.submitted.answersRevealed).toBe(true);
    expect(first.submitted.questions[0].key).toBeDefined();
    // The detector does see a revealed key.
    expect(leaks(first.submitted)).toContain(String(/"correctOptionIds"/));
    // A second attempt is open: the first attempt's key is hidden again (checked in take()).
    const second = await take(lena, quiz.id, course.id, true);
    expect(second.submitted.answersRevealed).toBe(true);
    const again = await t.http.get(`/api/v1/attempts/${first.id}`, lena);
    expect(again.body.data.answersRevealed).toBe(true);
  });

  it("after-passing: hidden after a failed attempt, shown once one passes", async () => {
    const { quiz, course } = await policyQuiz("after-passing");
    const lena = await enrolledLearner(t, course.id);
    const first = await take(lena, quiz.id, course.id, false);
    expect(first.submitted).toMatchObject({ passed: false, answersRevealed: false });
    expect(await walk(lena, quiz.id, first.id, course.id)).toEqual([]);
    const second = await take(lena, quiz.id, course.id, true);
    expect(second.submitted).toMatchObject({ passed: true, answersRevealed: true });
    const earlier = await t.http.get(`/api/v1/attempts/${first.id}`, lena);
    expect(earlier.body.data.questions[0].key).toBeDefined();
  });

  it("after-all-attempts: hidden until the last allowed attempt is used", async () => {
    const { quiz, course } = await policyQuiz("after-all-attempts");
    const lena = await enrolledLearner(t, course.id);
    const first = await take(lena, quiz.id, course.id, true);
    expect(first.submitted.answersRevealed).toBe(false);
    expect(await walk(lena, quiz.id, first.id, course.id)).toEqual([]);
    const second = await take(lena, quiz.id, course.id, false);
    expect(second.submitted.answersRevealed).toBe(true);
  });

  it("after-deadline: hidden until the quiz closes", async () => {
    const { quiz, course } = await policyQuiz("after-deadline", {
      availableUntil: "2026-03-03T00:00:00Z",
    });
    let lena = await enrolledLearner(t, course.id);
    const first = await take(lena, quiz.id, course.id, true);
    expect(first.submitted.answersRevealed).toBe(false);
    expect(await walk(lena, quiz.id, first.id, course.id)).toEqual([]);
    t.clock.set("2026-03-03T00:00:01Z");
    lena = await refresh(t, lena);
    const later = await t.http.get(`/api/v1/attempts/${first.id}`, lena);
    expect(later.body.data.answersRevealed).toBe(true);
    expect(later.body.data.questions.find((q: { key?: unknown }) => q.key)).toBeDefined();
    t.clock.set("2026-03-02T09:00:00Z");
  });
});

/** A sure grader whose feedback names what the rubric asks, as a keyword grader's does. */
const SURE_GRADER: GraderProvider = {
  name: "test-sure",
  grade: async (request) => ({
    points: request.maxPoints / 2,
    confidence: 0.95,
    feedback: "SECRET-GRADER Not yet shown: Mentions certificates.",
    criteria: request.rubric.map((c, i) => ({
      description: c.description,
      met: i === 0,
      points: i === 0 ? c.points : 0,
    })),
  }),
};

describe("grader feedback", () => {
  /** Takes the essay quiz (multiple choice right, an essay), has it AI-graded, and reads it back. */
  async function takeEssay(who: Learner, quizId: string) {
    const attempt = (await t.http.post(`/api/v1/quizzes/${quizId}/start`, {}, who)).body.data;
    const answers = attempt.questions.map((q: { id: string; question: { type: string } }) => ({
      questionId: q.id,
      response:
        q.question.type === "essay"
          ? { text: "Encryption keeps the bytes private between the two ends of the link." }
          : { selected: ["b"] },
    }));
    const submitted = await t.http.post(`/api/v1/attempts/${attempt.id}/submit`, { answers }, who);
    expect(submitted.body.data).toMatchObject({ status: "submitted", pendingManual: 1 });
    expect(await aiGradeAttempt({ ...t.system, grader: SURE_GRADER }, attempt.id)).toEqual({
      graded: 1,
      flagged: 0,
      manual: 0,
    });
    const essayId = attempt.questions.find(
      (q: { question: { type: string } }) => q.question.type === "essay",
    ).id as string;
    return { id: attempt.id as string, essayId };
  }

  async function essayFeedback(who: Credentials, attemptId: string, essayId: string) {
    const res = await t.http.get(`/api/v1/attempts/${attemptId}`, who);
    const essay = res.body.data.questions.find((q: { id: string }) => q.id === essayId);
    return { revealed: res.body.data.answersRevealed as boolean, feedback: essay.feedback };
  }

  const policies: Array<[AnswerPolicy, boolean]> = [
    ["never", false],
    ["after-submit", true],
    ["after-passing", true],
    ["after-all-attempts", false],
    ["after-deadline", false],
  ];
  for (const [policy, shownAfterFirst] of policies)
    it(`${policy}: the AI grader's feedback shows only when the answer key does`, async () => {
      const { quiz, course } = await quizCourse(t, {
        instructorId: instructor.user.id,
        settings: {
          showCorrectAnswers: policy,
          attemptLimit: 2,
          passingScore: 50,
          ...(policy === "after-deadline" ? { availableUntil: "2026-03-03T00:00:00Z" } : {}),
        },
        questions: [SAMPLE.mc, SAMPLE.essay],
      });
      let lena = await enrolledLearner(t, course.id);
      const first = await takeEssay(lena, quiz.id);
      // Stored apart from a person's comment; the course team always sees it.
      const stored = await t.system.db
        .selectFrom("quiz_answers")
        .select(["feedback", "ai_feedback", "ai_decision", "points"])
        .where("attempt_id", "=", first.id)
        .where("quiz_question_id", "=", first.essayId)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ feedback: null, ai_decision: "graded" });
      expect(stored.ai_feedback).toContain("SECRET-GRADER");
      const staff = await t.http.get(`/api/v1/attempts/${first.id}`, instructor);
      const staffEssay = staff.body.data.questions.find(
        (q: { id: string }) => q.id === first.essayId,
      );
      expect(staffEssay.grading.ai.feedback).toContain("SECRET-GRADER");
      expect(staffEssay.feedback).toContain("SECRET-GRADER");

      let seen = await essayFeedback(lena, first.id, first.essayId);
      expect(seen.revealed).toBe(shownAfterFirst);
      if (shownAfterFirst) expect(seen.feedback).toContain("SECRET-GRADER");
      else {
        expect(seen.feedback).toBeNull();
        expect(await walk(lena, quiz.id, first.id, course.id)).toEqual([]);
      }

      // While a second attempt is open, the first one's grader feedback is hidden under every
      // policy, as its answer key is.
      const second = (await t.http.post(`/api/v1/quizzes/${quiz.id}/start`, {}, lena)).body.data;
      seen = await essayFeedback(lena, first.id, first.essayId);
      expect(seen).toEqual({ revealed: false, feedback: null });
      expect(await walk(lena, quiz.id, first.id, course.id, true)).toEqual([]);
      await t.http.post(`/api/v1/attempts/${second.id}/submit`, {}, lena);

      // Once the policy allows the key (both attempts used, or the quiz closed), the feedback
      // shows with it; `never` keeps it hidden for good.
      if (policy === "after-deadline") {
        t.clock.set("2026-03-03T00:00:01Z");
        lena = await refresh(t, lena);
      }
      seen = await essayFeedback(lena, first.id, first.essayId);
      if (policy === "never") expect(seen).toEqual({ revealed: false, feedback: null });
      else {
        expect(seen.revealed).toBe(true);
        expect(seen.feedback).toContain("SECRET-GRADER");
      }
      t.clock.set("2026-03-02T09:00:00Z");
    });

  it("a person's comment on an answer is the learner's to read once the attempt is closed", async () => {
    const { quiz, course } = await quizCourse(t, {
      instructorId: instructor.user.id,
      settings: { showCorrectAnswers: "never", passingScore: 50 },
      questions: [SAMPLE.mc, SAMPLE.essay],
    });
    const lena = await enrolledLearner(t, course.id);
    const first = await takeEssay(lena, quiz.id);
    const res = await t.http.post(
      `/api/v1/attempts/${first.id}/grade`,
      {
        answers: [{ questionId: first.essayId, points: 3, feedback: "Say how keys are trusted." }],
      },
      instructor,
    );
    expect(res.status).toBe(200);
    expect(await essayFeedback(lena, first.id, first.essayId)).toEqual({
      revealed: false,
      feedback: "Say how keys are trusted.",
    });
  });
});
