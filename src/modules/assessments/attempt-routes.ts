import { z } from "zod";
import { envelope, isoDateTime, ok } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { saveAnswers, startAttempt, submitAttempt } from "./attempts.js";
import { gradeAttempt } from "./grade.js";
import { POLICIES } from "./quiz-routes.js";
import { answerResponse } from "./responses.js";
import { quizSummary, showAttempt, viewAttempt } from "./views.js";

const iso = isoDateTime;
const STATUSES = ["in-progress", "submitted", "graded"] as const;
const END_REASONS = ["submitted", "time-expired", "abandoned"] as const;
const OUTCOMES = [
  "correct",
  "partial",
  "incorrect",
  "unanswered",
  "needs-grading",
  "ungraded",
] as const;
const anyObject = z.record(z.string(), z.unknown());

const attemptSummarySchema = z
  .object({
    id: z.uuid(),
    attemptNumber: z.number().int(),
    status: z.enum(STATUSES),
    endReason: z.enum(END_REASONS).nullable(),
    startedAt: iso(),
    deadlineAt: iso().nullable(),
    submittedAt: iso().nullable(),
    score: z.number().nullable(),
    passed: z.boolean().nullable(),
    pendingManual: z.number().int(),
  })
  .meta({ id: "AttemptSummary" });

const summarySchema = z
  .object({
    quiz: z.object({
      id: z.uuid(),
      courseId: z.uuid(),
      moduleId: z.uuid(),
      lessonId: z.uuid().nullable(),
      title: z.string(),
      description: z.string().nullable(),
      instructions: z.string().nullable(),
      kind: z.string(),
      availableFrom: iso().nullable(),
      availableUntil: iso().nullable(),
      timeLimitMinutes: z.number().int().nullable(),
      attemptLimit: z.number().int().nullable(),
      passingScore: z.number(),
      questionCount: z.number().int(),
      allowBackNavigation: z.boolean(),
      showCorrectAnswers: z.string(),
      requiredForCompletion: z.boolean(),
    }),
    attempts: z.array(attemptSummarySchema),
    attemptsUsed: z.number().int(),
    attemptsLeft: z.number().int().nullable(),
    openAttemptId: z.uuid().nullable(),
    canStart: z.boolean(),
    blockedBy: z.object({ code: z.string(), message: z.string() }).nullable(),
    standing: z
      .object({
        bestScore: z.number().nullable(),
        lastScore: z.number().nullable(),
        passed: z.boolean(),
        passedAt: iso().nullable(),
        counted: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: "QuizSummary" });

const servedQuestionSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  locked: z.boolean(),
  question: anyObject.nullable().describe("The question as served: no answer key"),
  response: anyObject.nullable(),
  markedForReview: z.boolean(),
  savedAt: iso().nullable(),
  feedback: z
    .string()
    .nullable()
    .describe(
      "A person's comment once the attempt is closed; without one, the AI grader's feedback, only when the answer key shows and the AI's grade stands",
    ),
  result: z
    .object({
      outcome: z.enum(OUTCOMES).nullable(),
      points: z.number().nullable(),
      maxPoints: z.number().nullable(),
    })
    .optional()
    .describe("Only once the quiz's show-correct-answers policy allows it"),
  key: anyObject.optional().describe("The right answer; only once the policy allows it"),
  grading: anyObject
    .optional()
    .describe(
      "Graders only: rubric scores, a person's `comment`, who graded (`gradedBy`, `grader` with their name) and when, the AI's suggestion, overrides",
    ),
});

const attemptSchema = z
  .object({
    id: z.uuid(),
    quizId: z.uuid(),
    quiz: z
      .object({
        id: z.uuid(),
        courseId: z.uuid(),
        title: z.string(),
        instructions: z.string().nullable(),
        passingScore: z.number(),
        showCorrectAnswers: z.enum(POLICIES),
      })
      .describe("The quiz's title and rules, so an attempt's page needs no second request"),
    userId: z.uuid(),
    attemptNumber: z.number().int(),
    status: z.enum(STATUSES),
    endReason: z.enum(END_REASONS).nullable(),
    startedAt: iso(),
    deadlineAt: iso().nullable(),
    secondsLeft: z.number().int().nullable(),
    submittedAt: iso().nullable(),
    gradedAt: iso().nullable(),
    timeSpentSeconds: z.number().int(),
    allowBackNavigation: z.boolean(),
    currentPosition: z.number().int(),
    pointsEarned: z.number().nullable(),
    pointsPossible: z.number().nullable(),
    score: z.number().nullable(),
    passed: z.boolean().nullable(),
    pendingManual: z.number().int(),
    feedback: z.string().nullable(),
    answersRevealed: z.boolean(),
    flaggedForReview: z.boolean().optional(),
    reviewNotes: z.string().nullable().optional(),
    learner: z
      .object({ id: z.uuid(), name: z.string(), email: z.string() })
      .nullable()
      .optional()
      .describe("Graders only: whose attempt it is"),
    questions: z.array(servedQuestionSchema),
    alreadySubmitted: z.boolean().optional(),
    lateAnswersIgnored: z.boolean().optional(),
    ignoredAnswers: z
      .array(
        z.object({
          index: z.number().int().describe("Where the answer was in the list sent"),
          questionId: z.uuid(),
          reason: z.enum(["question-locked", "after-deadline", "already-submitted"]),
        }),
      )
      .optional()
      .describe("Submit only: the answers sent that were not taken, and why"),
  })
  .meta({ id: "QuizAttempt" });

const answersBody = z
  .array(
    z.object({
      questionId: ref("quiz-question"),
      response: answerResponse.nullable(),
      markedForReview: z.boolean().optional(),
    }),
  )
  .max(500);

/** Taking quizzes (learners) and grading attempts (the course team). */
export async function attemptRoutes(app: App): Promise<void> {
  const tags = ["Quiz attempts"];

  app.get(
    "/api/v1/quizzes/:quizId/summary",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "A quiz as its learner sees it before starting",
        description:
          "Rules, the learner's attempts and standing, and whether they can start now (`blockedBy` says why not). Never the questions.",
        params: idParam("quizId"),
        response: { 200: envelope(summarySchema) },
      },
    },
    async (request) => ok(await quizSummary(request.ctx, request.params.quizId)),
  );

  app.post(
    "/api/v1/quizzes/:quizId/start",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Start an attempt, or resume the open one",
        description:
          "Checks enrollment, the module's unlock rules, the window and the attempt limit. The questions (a pool draws some) and option orders are drawn once and stored, so a reload shows the same attempt. Questions carry no answer data. 201 for a new attempt, 200 when resuming.",
        params: idParam("quizId"),
        response: { 200: envelope(attemptSchema), 201: envelope(attemptSchema) },
      },
    },
    async (request, reply) => {
      const { parts, resumed } = await startAttempt(request.ctx, request.params.quizId);
      reply.code(resumed ? 200 : 201);
      return ok(await showAttempt(request.ctx, parts));
    },
  );

  app.get(
    "/api/v1/quizzes/:quizId/attempts",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My attempts at a quiz",
        params: idParam("quizId"),
        response: { 200: envelope(z.array(attemptSummarySchema)) },
      },
    },
    async (request) => {
      const summary = await quizSummary(request.ctx, request.params.quizId);
      return ok(summary.attempts);
    },
  );

  app.get(
    "/api/v1/attempts/:attemptId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary:
          "One attempt: the learner's own (under the answer policy) or, for graders, all of it",
        params: idParam("attemptId"),
        response: { 200: envelope(attemptSchema) },
      },
    },
    async (request) => ok(await viewAttempt(request.ctx, request.params.attemptId)),
  );

  app.put(
    "/api/v1/attempts/:attemptId/answers",
    {
      // The learner's own attempt bounds the questions an answer may name (checkAnswers).
      config: { access: { user: true }, referencesBoundByPath: true },
      schema: {
        tags,
        summary: "Autosave answers of an open attempt",
        description:
          "Saves one or more answers (a null response clears one). After the deadline nothing more counts: the attempt is submitted with what was saved in time and the call answers TIME_LIMIT_EXCEEDED. Without back navigation, earlier questions answer QUESTION_LOCKED. A question id that is not one of the attempt's answers 404 NOT_FOUND naming the field.",
        params: idParam("attemptId"),
        body: z.object({ answers: answersBody.min(1) }),
        response: { 200: envelope(attemptSchema) },
      },
    },
    async (request) => {
      const parts = await saveAnswers(request.ctx, request.params.attemptId, request.body.answers);
      return ok(await showAttempt(request.ctx, parts));
    },
  );

  app.post(
    "/api/v1/attempts/:attemptId/submit",
    {
      config: { access: { user: true }, referencesBoundByPath: true },
      schema: {
        tags,
        summary: "Submit an attempt (optionally with last answers) and get its result",
        description:
          "Grades every objective question at once; essays wait for a grader (the AI grader first, when configured). Submitting twice counts once (`alreadySubmitted`). Past the deadline the last answers are ignored: `lateAnswersIgnored` is true whenever answers sent with this submit were left out because the deadline had passed, including when the attempt had already closed at its deadline. Without back navigation, answers to questions already closed are left out and the rest is submitted. `ignoredAnswers` lists each answer sent that was not taken, with the reason: `question-locked`, `after-deadline` or `already-submitted`. A question id that is not one of the attempt's answers 404 NOT_FOUND naming the field, and nothing is submitted.",
        params: idParam("attemptId"),
        body: z.object({ answers: answersBody.default([]) }).default({ answers: [] }),
        response: { 200: envelope(attemptSchema) },
      },
    },
    async (request) => {
      const result = await submitAttempt(
        request.ctx,
        request.params.attemptId,
        request.body.answers,
      );
      return ok({
        ...(await showAttempt(request.ctx, result.parts)),
        alreadySubmitted: result.alreadySubmitted,
        lateAnswersIgnored: result.lateAnswersIgnored,
        ignoredAnswers: result.ignoredAnswers,
      });
    },
  );

  app.post(
    "/api/v1/attempts/:attemptId/grade",
    {
      config: { access: { user: true } },
      schema: {
        tags: ["Grading"],
        summary: "Grade or regrade an attempt's answers",
        description:
          "For the course's instructor, staff and graders. Give points or rubric scores (one per criterion) and feedback per question, and overall feedback. Any answer can be regraded; a grade that differs from the automatic or AI grade is recorded as a manual override, and every change is audited. The attempt is graded once nothing waits.",
        params: idParam("attemptId"),
        body: z.object({
          answers: z
            .array(
              z.object({
                questionId: ref("quiz-question"),
                points: z.number().min(0).max(1000).optional(),
                rubricScores: z.array(z.number().min(0).max(1000)).max(20).optional(),
                feedback: z.string().max(10_000).nullable().optional(),
              }),
            )
            .max(500)
            .default([]),
          feedback: z.string().max(10_000).nullable().optional(),
          reviewNotes: z.string().max(10_000).nullable().optional(),
        }),
        response: { 200: envelope(attemptSchema) },
      },
    },
    async (request) => {
      await gradeAttempt(request.ctx, request.params.attemptId, request.body);
      return ok(await viewAttempt(request.ctx, request.params.attemptId));
    },
  );
}
