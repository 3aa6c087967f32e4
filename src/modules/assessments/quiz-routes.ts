import { z } from "zod";
import { numberOrNull } from "../../db/values.js";
import { done, envelope, isoDateTime, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { courseForChange } from "../catalog/policy.js";
import { questionDefinition } from "./questions.js";
import {
  addQuizQuestion,
  createQuiz,
  deleteQuiz,
  quizForChange,
  quizQuestions,
  removeQuizQuestion,
  reorderQuizQuestions,
  updateQuiz,
  updateQuizQuestion,
} from "./quizzes.js";
import type { QuizQuestionRow, QuizRow } from "./schema.js";

const iso = isoDateTime;
const KINDS = [
  "graded",
  "practice",
  "survey",
  "pre-course",
  "post-course",
  "knowledge-check",
  "skill-assessment",
  "certification",
  "self-assessment",
] as const;
export const POLICIES = [
  "never",
  "after-submit",
  "after-passing",
  "after-all-attempts",
  "after-deadline",
] as const;

const settings = {
  title: z.string().trim().min(1).max(255),
  description: z.string().max(5000).nullable(),
  instructions: z.string().max(5000).nullable(),
  lessonId: ref("lesson").nullable(),
  kind: z.enum(KINDS),
  isPublished: z.boolean(),
  availableFrom: iso().nullable(),
  availableUntil: iso().nullable(),
  timeLimitMinutes: z.number().int().min(1).max(1440).nullable(),
  attemptLimit: z.number().int().min(1).max(100).nullable(),
  passingScore: z.number().min(0).max(100),
  weightPercent: z.number().min(0).max(100).nullable(),
  randomizeQuestions: z.boolean(),
  randomizeAnswers: z.boolean(),
  questionsPerAttempt: z.number().int().min(1).max(500).nullable(),
  showCorrectAnswers: z.enum(POLICIES),
  allowBackNavigation: z.boolean(),
  requiredForCompletion: z.boolean(),
};

const questionSchema = z
  .object({
    id: z.uuid(),
    position: z.number().int(),
    bankQuestionId: z.uuid().nullable(),
    type: z.string(),
    points: z.number(),
    required: z.boolean(),
    question: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "QuizQuestion" });

const quizSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    moduleId: z.uuid(),
    lessonId: z.uuid().nullable(),
    title: z.string(),
    description: z.string().nullable(),
    instructions: z.string().nullable(),
    kind: z.enum(KINDS),
    isPublished: z.boolean(),
    availableFrom: iso().nullable(),
    availableUntil: iso().nullable(),
    timeLimitMinutes: z.number().int().nullable(),
    attemptLimit: z.number().int().nullable(),
    passingScore: z.number(),
    weightPercent: z.number().nullable(),
    randomizeQuestions: z.boolean(),
    randomizeAnswers: z.boolean(),
    questionsPerAttempt: z.number().int().nullable(),
    showCorrectAnswers: z.enum(POLICIES),
    allowBackNavigation: z.boolean(),
    requiredForCompletion: z.boolean(),
    totalPoints: z.number(),
    questions: z.array(questionSchema).optional(),
  })
  .meta({ id: "Quiz" });

function presentQuestion(q: QuizQuestionRow) {
  return {
    id: q.id,
    position: q.position,
    bankQuestionId: q.bank_question_id,
    type: q.question_type,
    points: Number(q.points),
    required: q.required,
    question: q.definition as Record<string, unknown>,
  };
}

function present(q: QuizRow, questions?: QuizQuestionRow[]) {
  return {
    id: q.id,
    courseId: q.course_id,
    moduleId: q.module_id,
    lessonId: q.lesson_id,
    title: q.title,
    description: q.description,
    instructions: q.instructions,
    kind: q.kind,
    isPublished: q.is_published,
    availableFrom: q.available_from?.toISOString() ?? null,
    availableUntil: q.available_until?.toISOString() ?? null,
    timeLimitMinutes: q.time_limit_minutes,
    attemptLimit: q.attempt_limit,
    passingScore: Number(q.passing_score),
    weightPercent: numberOrNull(q.weight_percent),
    randomizeQuestions: q.randomize_questions,
    randomizeAnswers: q.randomize_answers,
    questionsPerAttempt: q.questions_per_attempt,
    showCorrectAnswers: q.show_correct_answers,
    allowBackNavigation: q.allow_back_navigation,
    requiredForCompletion: q.required_for_completion,
    totalPoints: Number(q.total_points),
    ...(questions ? { questions: questions.map(presentQuestion) } : {}),
  };
}

/** Quizzes for the people who write the course (learners take them through attempts). */
export async function quizRoutes(app: App): Promise<void> {
  const tags = ["Quizzes"];

  app.post(
    "/api/v1/modules/:moduleId/quizzes",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add a quiz to a module (optionally attached to one of its lessons)",
        description:
          "Kinds: graded, practice, survey and seed 001's pre-course, post-course, knowledge-check, skill-assessment, certification, self-assessment. A quiz is published once it has questions.",
        params: idParam("moduleId"),
        body: z.object(settings).partial().required({ title: true }).omit({ isPublished: true }),
        response: { 201: envelope(quizSchema) },
      },
    },
    async (request, reply) => {
      const quiz = await createQuiz(request.ctx, request.params.moduleId, request.body);
      reply.code(201);
      return ok(present(quiz, []));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/quizzes",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "A course's quizzes (for its authors)",
        params: idParam("courseId"),
        response: { 200: envelope(z.array(quizSchema)) },
      },
    },
    async (request) => {
      const course = await courseForChange(request.ctx, request.params.courseId);
      const rows = await request.ctx.db
        .selectFrom("quizzes")
        .selectAll()
        .where("course_id", "=", course.id)
        .where("deleted_at", "is", null)
        .orderBy("created_at")
        .orderBy("title")
        .execute();
      return ok(rows.map((q) => present(q)));
    },
  );

  app.get(
    "/api/v1/quizzes/:quizId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "A quiz with its questions and answer keys (for its authors)",
        params: idParam("quizId"),
        response: { 200: envelope(quizSchema) },
      },
    },
    async (request) => {
      const quiz = await quizForChange(request.ctx, request.params.quizId);
      return ok(present(quiz, await quizQuestions(request.ctx, quiz.id)));
    },
  );

  app.patch(
    "/api/v1/quizzes/:quizId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Change a quiz's settings, or publish it",
        params: idParam("quizId"),
        body: z.object(settings).partial().strict(),
        response: { 200: envelope(quizSchema) },
      },
    },
    async (request) => {
      const quiz = await updateQuiz(request.ctx, request.params.quizId, request.body);
      return ok(present(quiz, await quizQuestions(request.ctx, quiz.id)));
    },
  );

  app.delete(
    "/api/v1/quizzes/:quizId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a quiz",
        params: idParam("quizId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteQuiz(request.ctx, request.params.quizId);
      return done();
    },
  );

  app.post(
    "/api/v1/quizzes/:quizId/questions",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add a question, written here or copied from the bank",
        params: idParam("quizId"),
        body: z
          .object({
            question: questionDefinition.optional(),
            bankQuestionId: ref("bank-question").optional(),
            required: z.boolean().optional(),
          })
          .refine((b) => !!b.question !== !!b.bankQuestionId, {
            message: "Give either question or bankQuestionId",
          }),
        response: { 201: envelope(questionSchema) },
      },
    },
    async (request, reply) => {
      const row = await addQuizQuestion(request.ctx, request.params.quizId, request.body);
      reply.code(201);
      return ok(presentQuestion(row));
    },
  );

  app.put(
    "/api/v1/quizzes/:quizId/questions/order",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Reorder a quiz's questions",
        params: idParam("quizId"),
        body: z.object({ questionIds: z.array(ref("quiz-question")).min(1).max(500) }),
        response: { 200: envelope(z.array(questionSchema)) },
      },
    },
    async (request) =>
      ok(
        (
          await reorderQuizQuestions(request.ctx, request.params.quizId, request.body.questionIds)
        ).map(presentQuestion),
      ),
  );

  app.patch(
    "/api/v1/quiz-questions/:quizQuestionId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Edit a quiz question in place (its bank original stays as it is)",
        params: idParam("quizQuestionId"),
        body: z.object({ question: questionDefinition, required: z.boolean() }).partial().strict(),
        response: { 200: envelope(questionSchema) },
      },
    },
    async (request) =>
      ok(
        presentQuestion(
          await updateQuizQuestion(request.ctx, request.params.quizQuestionId, request.body),
        ),
      ),
  );

  app.delete(
    "/api/v1/quiz-questions/:quizQuestionId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Remove a question from its quiz",
        params: idParam("quizQuestionId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeQuizQuestion(request.ctx, request.params.quizQuestionId);
      return done();
    },
  );
}
