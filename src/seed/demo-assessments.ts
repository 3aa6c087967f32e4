import { saveAnswers, startAttempt, submitAttempt } from "../modules/assessments/attempts.js";
import { createBankQuestion } from "../modules/assessments/bank.js";
import { aiGradeAttempt } from "../modules/assessments/grade.js";
import { type QuestionDefinition, questionDefinition } from "../modules/assessments/questions.js";
import { addQuizQuestion, createQuiz, updateQuiz } from "../modules/assessments/quizzes.js";
import type { AnswerResponse } from "../modules/assessments/responses.js";
import type { Ctx } from "../platform/context.js";
import { actingAs } from "./demo-learning.js";

/**
 * Demo assessments on Northwind's safety course: a question bank, a pre-course baseline, a
 * required knowledge check (every question type, an essay graded with the AI grader), and a
 * post-course check. Learners' attempts show a learning gain, an AI-graded essay, one flagged
 * for review, one waiting in the grading queue, and an attempt still open.
 */

const q = (definition: Record<string, unknown>): QuestionDefinition =>
  questionDefinition.parse(definition);

const BASELINE = [
  q({
    type: "multiple-choice",
    text: "A colleague slips on a wet floor but is unhurt. What do you do first?",
    skillIds: ["incident-reporting"],
    explanation: "Near misses are reported too: they show where the next accident will happen.",
    options: [
      { id: "a", text: "Nothing, nobody was hurt", correct: false },
      { id: "b", text: "Report it as a near miss", correct: true },
      { id: "c", text: "Mop the floor and move on", correct: false },
    ],
  }),
  q({
    type: "true-false",
    text: "Fire exits may be blocked for up to an hour during deliveries.",
    skillIds: ["hazard-awareness"],
    correct: false,
  }),
  q({
    type: "true-false",
    text: "Every incident report is due within 24 hours.",
    skillIds: ["incident-reporting"],
    correct: true,
  }),
  q({
    type: "multiple-choice",
    text: "Which of these is a trip hazard?",
    skillIds: ["hazard-awareness"],
    options: [
      { id: "a", text: "A cable across a walkway", correct: true },
      { id: "b", text: "A closed cupboard", correct: false },
      { id: "c", text: "A signposted exit", correct: false },
    ],
  }),
];

const CHECK = [
  q({
    type: "multiple-select",
    text: "Which belong in an incident report?",
    points: 2,
    skillIds: ["incident-reporting"],
    options: [
      { id: "when", text: "When and where it happened", correct: true },
      { id: "who", text: "Who was involved or saw it", correct: true },
      {
        id: "blame",
        text: "Whose fault it was",
        correct: false,
        feedback: "Reports describe, they do not blame.",
      },
    ],
  }),
  q({
    type: "fill-blank",
    text: "Report an incident within {{1}} hours, to your {{2}}.",
    points: 2,
    skillIds: ["incident-reporting"],
    blanks: [
      { accepted: ["24", "twenty-four"] },
      { accepted: ["manager", "line manager", "supervisor"] },
    ],
  }),
  q({
    type: "matching",
    text: "Match each hazard to its control.",
    points: 2,
    skillIds: ["hazard-awareness"],
    pairs: [
      { left: { id: "wet", text: "Wet floor" }, right: { id: "sign", text: "Warning sign" } },
      { left: { id: "cable", text: "Loose cable" }, right: { id: "cover", text: "Cable cover" } },
    ],
    distractors: [{ id: "mask", text: "Dust mask" }],
  }),
  q({
    type: "short-answer",
    text: "What colour are fire exit signs in the EU?",
    answer: { accepted: ["green"], caseSensitive: false, whitespace: "collapse" },
    skillIds: ["hazard-awareness"],
  }),
  q({
    type: "essay",
    text: "Describe what you would do after spotting a hazard nobody has reported yet.",
    points: 4,
    skillIds: ["incident-reporting"],
    minWords: 20,
    rubric: [
      {
        description: "Makes the area safe or warns others",
        points: 2,
        keywords: ["warn", "sign", "cordon", "safe"],
      },
      {
        description: "Reports it through the incident form",
        points: 2,
        keywords: ["report", "form", "manager"],
      },
    ],
  }),
];

type Answers = Array<{ text: string; response: AnswerResponse }>;

async function take(ctx: Ctx, quizId: string, answers: Answers, submit = true) {
  const { attempt } = (await startAttempt(ctx, quizId)).parts;
  const questions = await ctx.db
    .selectFrom("quiz_questions")
    .select(["id", "definition"])
    .where("quiz_id", "=", quizId)
    .execute();
  const byText = (text: string) =>
    questions.find((x) => (x.definition as QuestionDefinition).text === text)?.id as string;
  const given = answers.map((a) => ({ questionId: byText(a.text), response: a.response }));
  if (!submit) return (await saveAnswers(ctx, attempt.id, given)).attempt;
  return (await submitAttempt(ctx, attempt.id, given)).parts.attempt;
}

async function quizWith(
  ctx: Ctx,
  moduleId: string,
  settings: Parameters<typeof createQuiz>[2],
  bankIds: string[],
) {
  const quiz = await createQuiz(ctx, moduleId, settings);
  for (const id of bankIds) await addQuizQuestion(ctx, quiz.id, { bankQuestionId: id });
  return updateQuiz(ctx, quiz.id, { isPublished: true });
}

export async function seedDemoAssessments(
  ctx: Ctx,
  organizationId: string,
  users: Record<string, string>,
): Promise<void> {
  const course = await ctx.db
    .selectFrom("courses")
    .select("id")
    .where("code", "=", "NW-SAFE-101")
    .executeTakeFirstOrThrow();
  const [intro, hazards] = await ctx.db
    .selectFrom("modules")
    .select("id")
    .where("course_id", "=", course.id)
    .orderBy("position")
    .execute();
  if (!intro || !hazards) throw new Error("demo safety course has two modules");

  const bank = async (list: QuestionDefinition[], difficulty: "easy" | "medium") => {
    const ids: string[] = [];
    for (const question of list)
      ids.push(
        (
          await createBankQuestion(ctx, organizationId, {
            title: question.text.slice(0, 80),
            category: "workplace-safety",
            tags: ["safety", ...question.skillIds],
            difficulty,
            question,
          })
        ).id,
      );
    return ids;
  };
  const baselineIds = await bank(BASELINE, "easy");
  const checkIds = await bank(CHECK, "medium");

  const pre = await quizWith(
    ctx,
    intro.id,
    {
      title: "Safety baseline",
      description: "Where you start: not graded, answers shown when you finish the course check.",
      kind: "pre-course",
      requiredForCompletion: false,
      showCorrectAnswers: "never",
    },
    baselineIds,
  );
  const check = await quizWith(
    ctx,
    hazards.id,
    {
      title: "Hazards and reporting check",
      kind: "knowledge-check",
      passingScore: 70,
      attemptLimit: 3,
      timeLimitMinutes: 20,
      randomizeAnswers: true,
      showCorrectAnswers: "after-passing",
      requiredForCompletion: false,
    },
    checkIds,
  );
  const post = await quizWith(
    ctx,
    hazards.id,
    {
      title: "Safety final check",
      kind: "post-course",
      requiredForCompletion: false,
      showCorrectAnswers: "after-submit",
    },
    baselineIds,
  );

  const [mc1, tf1, tf2, mc2] = BASELINE.map((x) => x.text) as [string, string, string, string];
  const baseline = (right: number): Answers =>
    [
      { text: mc1, response: { selected: ["b"] } },
      { text: tf1, response: { value: false } },
      { text: tf2, response: { value: true } },
      { text: mc2, response: { selected: ["a"] } },
    ].map((a, i) =>
      i < right
        ? a
        : {
            text: a.text,
            response: "value" in a.response ? { value: !a.response.value } : { selected: ["c"] },
          },
    );
  const [ms, blank, match, short, essay] = CHECK.map((x) => x.text) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const checkAnswers = (essayText: string): Answers => [
    { text: ms, response: { selected: ["when", "who"] } },
    { text: blank, response: { blanks: ["24", "line manager"] } },
    { text: match, response: { matches: { wet: "sign", cable: "cover" } } },
    { text: short, response: { text: "Green" } },
    { text: essay, response: { text: essayText } },
  ];

  // Leila (learner): 50 → 100 on the baseline questions, an essay the AI grader is sure of.
  const learner = actingAs(ctx, users.learner as string);
  await take(learner, pre.id, baseline(2));
  const graded = await take(
    learner,
    check.id,
    checkAnswers(
      "First I would warn people nearby and put up a sign so the area is safe. Then I would report it on the incident form and tell my manager the same day.",
    ),
  );
  await aiGradeAttempt(ctx, graded.id);
  await take(learner, post.id, baseline(4));

  // The manager: a weak baseline, a short essay the AI grades but flags for review.
  const manager = actingAs(ctx, users.manager as string);
  await take(manager, pre.id, baseline(1));
  const flagged = await take(
    manager,
    check.id,
    checkAnswers(
      "I would warn others and stay near the spot. Then I would report it to my manager.",
    ),
  );
  await aiGradeAttempt(ctx, flagged.id);

  // HR: an essay the AI grader cannot decide, waiting in the grading queue.
  const hr = actingAs(ctx, users["hr-admin"] as string);
  const pending = await take(
    hr,
    check.id,
    checkAnswers(
      "I would keep the area safe by staying next to it until facilities arrive, and then carry on with my day as normal.",
    ),
  );
  await aiGradeAttempt(ctx, pending.id);

  // The teaching assistant has an attempt open.
  await take(
    actingAs(ctx, users["teaching-assistant"] as string),
    check.id,
    checkAnswers("").slice(0, 2),
    false,
  );
}
