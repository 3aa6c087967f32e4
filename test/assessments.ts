import type { QuestionDefinition } from "../src/modules/assessments/questions.js";
import {
  addQuizQuestion,
  createQuiz,
  type QuizSettings,
  updateQuiz,
} from "../src/modules/assessments/quizzes.js";
import { createLesson } from "../src/modules/catalog/content.js";
import { createCourse, publishCourse } from "../src/modules/catalog/courses.js";
import { enroll } from "../src/modules/enrollment/enroll.js";
import { signedInUser, signIn } from "./factories.js";
import type { TestApp } from "./harness.js";

/** Builders for assessment tests: a published course with a quiz, and enrolled learners. */

let seq = 0;

/** One question of every graded type, worth 10 points in all, plus an essay and a survey item. */
export const SAMPLE = {
  mc: {
    type: "multiple-choice",
    text: "Which port does HTTPS use?",
    points: 2,
    explanation: "SECRET-EXPLANATION: TLS listens on 443.",
    options: [
      { id: "a", text: "80", feedback: "SECRET-FEEDBACK plain HTTP" },
      { id: "b", text: "443", correct: true },
      { id: "c", text: "22" },
    ],
  },
  ms: {
    type: "multiple-select",
    text: "Which are transport protocols?",
    points: 2,
    options: [
      { id: "tcp", text: "TCP", correct: true },
      { id: "udp", text: "UDP", correct: true },
      { id: "dns", text: "DNS" },
    ],
  },
  tf: { type: "true-false", text: "DNS maps names to addresses.", points: 1, correct: true },
  short: {
    type: "short-answer",
    text: "Name the protocol of the web.",
    points: 1,
    answer: { accepted: ["secretanswer", "HTTP"] },
  },
  blank: {
    type: "fill-blank",
    text: "IPv{{1}} addresses have {{2}} bits.",
    points: 2,
    blanks: [{ accepted: ["4"] }, { accepted: ["32", "thirty-two"] }],
  },
  match: {
    type: "matching",
    text: "Match the port to the service.",
    points: 2,
    pairs: [
      { left: { id: "l1", text: "22" }, right: { id: "r1", text: "SSH" } },
      { left: { id: "l2", text: "25" }, right: { id: "r2", text: "SMTP" } },
    ],
    distractors: [{ id: "r3", text: "FTP" }],
  },
  essay: {
    type: "essay",
    text: "Explain how TLS protects data in transit.",
    points: 4,
    rubric: [
      { description: "SECRET-RUBRIC mentions encryption", points: 2, keywords: ["encrypt"] },
      { description: "Mentions certificates", points: 2, keywords: ["certificate"] },
    ],
  },
  rating: { type: "rating-scale", text: "How confident do you feel?", min: 1, max: 5 },
} satisfies Record<string, Record<string, unknown>>;

export async function quizCourse(
  t: TestApp,
  options: {
    instructorId: string;
    organizationId?: string;
    settings?: Partial<QuizSettings>;
    questions?: Array<Record<string, unknown>>;
    /** Also put a lesson before the quiz in the module. */
    withLesson?: boolean;
  },
) {
  seq += 1;
  const course = await createCourse(t.system, {
    code: `QZ-${seq}`,
    title: `Assessed course ${seq}`,
    description: "A course with a quiz, for assessment tests.",
    category: "testing",
    instructorId: options.instructorId,
    organizationId: options.organizationId ?? null,
  });
  const module = await t.system.db
    .selectFrom("modules")
    .selectAll()
    .where("course_id", "=", course.id)
    .executeTakeFirstOrThrow();
  const lesson = options.withLesson
    ? await createLesson(t.system, module.id, {
        title: "Read first",
        contentType: "text",
        content: { html: "<p>Ports</p>" },
      })
    : null;
  let quiz = await createQuiz(t.system, module.id, {
    title: `Quiz ${seq}`,
    ...options.settings,
    isPublished: false,
  });
  const questions = [];
  for (const q of options.questions ?? [SAMPLE.mc, SAMPLE.tf])
    questions.push(
      await addQuizQuestion(t.system, quiz.id, { question: q as unknown as QuestionDefinition }),
    );
  quiz = await updateQuiz(t.system, quiz.id, {
    isPublished: options.settings?.isPublished ?? true,
  });
  await publishCourse(t.system, course.id);
  return { course, module, lesson, quiz, questions };
}

/** A signed-in learner enrolled in the course. */
export async function enrolledLearner(t: TestApp, courseId: string, firstName = "Lena") {
  const learner = await signedInUser(t, { firstName });
  const result = await enroll(t.system, { userId: learner.user.id, courseId, source: "self" });
  if (result.kind !== "enrolled") throw new Error(`not enrolled: ${result.kind}`);
  return { ...learner, enrollment: result.enrollment };
}

/** Signs a person in again (after the clock moved past their access token's life). */
export async function refresh<T extends { user: { email: string } }>(
  t: TestApp,
  who: T,
): Promise<T> {
  return { ...who, ...(await signIn(t, who.user.email)) };
}

/** The id of a question by its text, in the order the attempt served it. */
export function byText(
  attempt: { questions: Array<{ id: string; question: { text: string } }> },
  text: string,
) {
  const found = attempt.questions.find((q) => q.question.text === text);
  if (!found) throw new Error(`no question ${text}`);
  return found.id;
}
