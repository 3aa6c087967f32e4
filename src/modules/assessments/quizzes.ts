import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { moduleWithCourse } from "../catalog/content.js";
import { courseForChange } from "../catalog/policy.js";
import { bankQuestion } from "./bank.js";
import { type QuestionDefinition, questionDefinition, validateQuestion } from "./questions.js";
import type { AnswerPolicy, QuizKind, QuizQuestionRow, QuizRow } from "./schema.js";

/**
 * Quizzes (seed 002 quizzes and quiz_questions, seed 001 assessment kinds) and their questions,
 * written by whoever may edit the course. A quiz's total points always equal the sum of its
 * questions' points.
 */

export interface QuizSettings {
  title: string;
  description?: string | null;
  instructions?: string | null;
  lessonId?: string | null;
  kind?: QuizKind;
  isPublished?: boolean;
  availableFrom?: string | null;
  availableUntil?: string | null;
  timeLimitMinutes?: number | null;
  attemptLimit?: number | null;
  passingScore?: number;
  weightPercent?: number | null;
  randomizeQuestions?: boolean;
  randomizeAnswers?: boolean;
  questionsPerAttempt?: number | null;
  showCorrectAnswers?: AnswerPolicy;
  allowBackNavigation?: boolean;
  requiredForCompletion?: boolean;
}

function columns(s: Partial<QuizSettings>) {
  const date = (v: string | null | undefined) => (v ? new Date(v) : null);
  return {
    ...(s.title !== undefined ? { title: s.title } : {}),
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.instructions !== undefined ? { instructions: s.instructions } : {}),
    ...(s.lessonId !== undefined ? { lesson_id: s.lessonId } : {}),
    ...(s.kind !== undefined ? { kind: s.kind } : {}),
    ...(s.isPublished !== undefined ? { is_published: s.isPublished } : {}),
    ...(s.availableFrom !== undefined ? { available_from: date(s.availableFrom) } : {}),
    ...(s.availableUntil !== undefined ? { available_until: date(s.availableUntil) } : {}),
    ...(s.timeLimitMinutes !== undefined ? { time_limit_minutes: s.timeLimitMinutes } : {}),
    ...(s.attemptLimit !== undefined ? { attempt_limit: s.attemptLimit } : {}),
    ...(s.passingScore !== undefined ? { passing_score: s.passingScore } : {}),
    ...(s.weightPercent !== undefined ? { weight_percent: s.weightPercent } : {}),
    ...(s.randomizeQuestions !== undefined ? { randomize_questions: s.randomizeQuestions } : {}),
    ...(s.randomizeAnswers !== undefined ? { randomize_answers: s.randomizeAnswers } : {}),
    ...(s.questionsPerAttempt !== undefined
      ? { questions_per_attempt: s.questionsPerAttempt }
      : {}),
    ...(s.showCorrectAnswers !== undefined ? { show_correct_answers: s.showCorrectAnswers } : {}),
    ...(s.allowBackNavigation !== undefined
      ? { allow_back_navigation: s.allowBackNavigation }
      : {}),
    ...(s.requiredForCompletion !== undefined
      ? { required_for_completion: s.requiredForCompletion }
      : {}),
  };
}

async function checkLesson(ctx: Ctx, moduleId: string, lessonId: string | null | undefined) {
  if (!lessonId) return;
  const lesson = await ctx.db
    .selectFrom("lessons")
    .select("id")
    .where("id", "=", lessonId)
    .where("module_id", "=", moduleId)
    .executeTakeFirst();
  if (!lesson)
    throw new AppError("NOT_FOUND", "No such lesson in this module", { field: "lessonId" });
}

function checkWindow(from: Date | null, until: Date | null) {
  if (from && until && until <= from)
    throw new AppError("VALIDATION_ERROR", "availableUntil must be after availableFrom", {
      field: "availableUntil",
    });
}

export async function createQuiz(
  ctx: Ctx,
  moduleId: string,
  input: QuizSettings,
): Promise<QuizRow> {
  const { module, course } = await moduleWithCourse(ctx, moduleId);
  await checkLesson(ctx, module.id, input.lessonId);
  const values = columns(input);
  checkWindow(values.available_from ?? null, values.available_until ?? null);
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const quiz = await tx.db
      .insertInto("quizzes")
      .values({
        ...values,
        title: input.title,
        course_id: course.id,
        module_id: module.id,
        created_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: course.organization_id,
      action: "quiz.create",
      entityType: "quiz",
      entityId: quiz.id,
      after: { title: quiz.title, kind: quiz.kind, module_id: module.id },
    });
    return quiz;
  });
}

/** A quiz whose course the actor may edit; NOT_FOUND when they cannot even see it. */
export async function quizForChange(ctx: Ctx, quizId: string): Promise<QuizRow> {
  const quiz = await ctx.db
    .selectFrom("quizzes")
    .selectAll()
    .where("id", "=", quizId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!quiz) throw new AppError("NOT_FOUND", "Quiz not found");
  await courseForChange(ctx, quiz.course_id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND")
      throw new AppError("NOT_FOUND", "Quiz not found");
    throw error;
  });
  return quiz;
}

export async function updateQuiz(
  ctx: Ctx,
  quizId: string,
  patch: Partial<QuizSettings>,
): Promise<QuizRow> {
  const before = await quizForChange(ctx, quizId);
  await checkLesson(ctx, before.module_id, patch.lessonId);
  const values = columns(patch);
  checkWindow(
    values.available_from !== undefined ? values.available_from : before.available_from,
    values.available_until !== undefined ? values.available_until : before.available_until,
  );
  if (values.is_published) {
    const count = await ctx.db
      .selectFrom("quiz_questions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("quiz_id", "=", quizId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) === 0)
      throw new AppError("UNPROCESSABLE", "Add questions before publishing the quiz");
  }
  return inTransaction(ctx, async (tx) => {
    const quiz = await tx.db
      .updateTable("quizzes")
      .set(values)
      .where("id", "=", quizId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const course = await tx.db
      .selectFrom("courses")
      .select("organization_id")
      .where("id", "=", quiz.course_id)
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: course.organization_id,
      action: "quiz.update",
      entityType: "quiz",
      entityId: quizId,
      before,
      after: quiz,
    });
    return quiz;
  });
}

export async function deleteQuiz(ctx: Ctx, quizId: string): Promise<void> {
  const quiz = await quizForChange(ctx, quizId);
  await ctx.db
    .updateTable("quizzes")
    .set({ deleted_at: ctx.clock.now(), is_published: false })
    .where("id", "=", quiz.id)
    .execute();
}

/** The definition with every default filled in (services may be called without the HTTP schema). */
function normalized(definition: QuestionDefinition): QuestionDefinition {
  const parsed = questionDefinition.safeParse(definition);
  if (!parsed.success)
    throw new AppError("VALIDATION_ERROR", parsed.error.issues[0]?.message ?? "Invalid question", {
      field: `question.${parsed.error.issues[0]?.path.join(".") ?? ""}`,
    });
  return parsed.data;
}

async function refreshTotal(ctx: Ctx, quizId: string): Promise<void> {
  await ctx.db
    .updateTable("quizzes")
    .set({
      total_points: sql`(select coalesce(sum(points), 0) from quiz_questions where quiz_id = ${quizId})`,
    })
    .where("id", "=", quizId)
    .execute();
}

/** Adds a question: written here, or copied from a bank question (whose usage is counted). */
export async function addQuizQuestion(
  ctx: Ctx,
  quizId: string,
  input: { question?: QuestionDefinition; bankQuestionId?: string; required?: boolean },
): Promise<QuizQuestionRow> {
  const quiz = await quizForChange(ctx, quizId);
  let definition = input.question;
  if (input.bankQuestionId) {
    const source = await bankQuestion(ctx, input.bankQuestionId);
    definition = source.definition as QuestionDefinition;
  }
  if (!definition)
    throw new AppError("VALIDATION_ERROR", "Give a question or a bankQuestionId", {
      field: "question",
    });
  definition = normalized(definition);
  const problems = validateQuestion(definition);
  if (problems.length)
    throw new AppError("VALIDATION_ERROR", problems[0]?.message ?? "The question is not sound", {
      field: `question.${problems[0]?.field}`,
      details: { problems },
    });
  const question = definition;
  return inTransaction(ctx, async (tx) => {
    await tx.db.selectFrom("quizzes").select("id").where("id", "=", quiz.id).forUpdate().execute();
    const last = await tx.db
      .selectFrom("quiz_questions")
      .select((eb) => eb.fn.coalesce(eb.fn.max("position"), eb.lit(0)).as("p"))
      .where("quiz_id", "=", quiz.id)
      .executeTakeFirstOrThrow();
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("quiz_questions")
      .values({
        quiz_id: quiz.id,
        bank_question_id: input.bankQuestionId ?? null,
        position: Number(last.p) + 1,
        question_type: question.type,
        definition: JSON.stringify(question),
        points: question.points,
        required: input.required ?? true,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.bankQuestionId)
      await tx.db
        .updateTable("question_bank")
        .set({ usage_count: sql`usage_count + 1` })
        .where("id", "=", input.bankQuestionId)
        .execute();
    await refreshTotal(tx, quiz.id);
    return row;
  });
}

export async function removeQuizQuestion(ctx: Ctx, questionId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom("quiz_questions")
    .selectAll()
    .where("id", "=", questionId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Question not found");
  await quizForChange(ctx, row.quiz_id);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("quiz_questions").where("id", "=", questionId).execute();
    // Close the gap so positions stay 1..n.
    await sql`set constraints quiz_questions_position_key deferred`.execute(tx.db);
    await tx.db
      .updateTable("quiz_questions")
      .set({ position: sql`position - 1` })
      .where("quiz_id", "=", row.quiz_id)
      .where("position", ">", row.position)
      .execute();
    await refreshTotal(tx, row.quiz_id);
  });
}

export async function quizQuestions(ctx: Ctx, quizId: string): Promise<QuizQuestionRow[]> {
  return ctx.db
    .selectFrom("quiz_questions")
    .selectAll()
    .where("quiz_id", "=", quizId)
    .orderBy("position")
    .execute();
}

/** Puts a quiz's questions in the given order; every question exactly once. */
export async function reorderQuizQuestions(
  ctx: Ctx,
  quizId: string,
  questionIds: string[],
): Promise<QuizQuestionRow[]> {
  const quiz = await quizForChange(ctx, quizId);
  return inTransaction(ctx, async (tx) => {
    const current = await quizQuestions(tx, quiz.id);
    const ids = current.map((q) => q.id);
    if (
      questionIds.length !== ids.length ||
      new Set(questionIds).size !== questionIds.length ||
      !questionIds.every((id) => ids.includes(id))
    )
      throw new AppError("VALIDATION_ERROR", "List every question of the quiz exactly once", {
        field: "questionIds",
        details: { expected: ids.length },
      });
    await sql`set constraints quiz_questions_position_key deferred`.execute(tx.db);
    for (const [index, id] of questionIds.entries())
      await tx.db
        .updateTable("quiz_questions")
        .set({ position: index + 1 })
        .where("id", "=", id)
        .execute();
    return quizQuestions(tx, quiz.id);
  });
}

/** Edits a quiz question in place (the bank question it came from is not changed). */
export async function updateQuizQuestion(
  ctx: Ctx,
  questionId: string,
  patch: { question?: QuestionDefinition; required?: boolean },
): Promise<QuizQuestionRow> {
  const row = await ctx.db
    .selectFrom("quiz_questions")
    .selectAll()
    .where("id", "=", questionId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Question not found");
  await quizForChange(ctx, row.quiz_id);
  if (patch.question) {
    patch.question = normalized(patch.question);
    const problems = validateQuestion(patch.question);
    if (problems.length)
      throw new AppError("VALIDATION_ERROR", problems[0]?.message ?? "The question is not sound", {
        field: `question.${problems[0]?.field}`,
        details: { problems },
      });
  }
  return inTransaction(ctx, async (tx) => {
    const updated = await tx.db
      .updateTable("quiz_questions")
      .set({
        ...(patch.question
          ? {
              question_type: patch.question.type,
              definition: JSON.stringify(patch.question),
              points: patch.question.points,
            }
          : {}),
        ...(patch.required !== undefined ? { required: patch.required } : {}),
      })
      .where("id", "=", questionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await refreshTotal(tx, row.quiz_id);
    return updated;
  });
}
