import { z } from "zod";
import { toCsv } from "../../platform/csv.js";
import { envelope, isoDateTime, ok } from "../../platform/http/envelope.js";
import { queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { visibleEnrollment } from "../enrollment/manage.js";
import { itemAnalysis } from "./analysis.js";
import { courseGainReport, enrollmentGain } from "./gain-store.js";
import { courseForGrading, gradingQueue } from "./grade.js";
import { courseGrades } from "./gradebook.js";
import { quizGradebook } from "./views.js";

const iso = isoDateTime;
const anyObject = z.record(z.string(), z.unknown());
const OUTCOMES = [
  "correct",
  "partial",
  "incorrect",
  "unanswered",
  "needs-grading",
  "ungraded",
] as const;

const gainSchema = z
  .object({
    enrollmentId: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    preQuizId: z.uuid(),
    preAttemptId: z.uuid(),
    preScore: z.number(),
    postQuizId: z.uuid(),
    postAttemptId: z.uuid(),
    postScore: z.number(),
    scoreImprovement: z.number(),
    percentageGain: z.number().nullable(),
    normalizedGain: z.number().nullable(),
    band: z.enum(["high", "medium", "low"]).nullable(),
    atCeiling: z.boolean(),
    skillGains: z.array(
      z.object({
        skillId: z.string(),
        preScore: z.number(),
        postScore: z.number(),
        improvement: z.number(),
        normalizedGain: z.number().nullable(),
      }),
    ),
    calculatedAt: iso(),
  })
  .meta({ id: "LearningGain" });

const aggregateSchema = z.object({
  learners: z.number().int().describe("Learners with both a pre- and a post-course score"),
  atCeiling: z
    .number()
    .int()
    .describe("Of them, those whose pre-score was 100: left out of both averages"),
  included: z
    .number()
    .int()
    .describe("The learners both averages are computed over: learners − atCeiling"),
  averageGain: z.number().nullable().describe("Mean of the included learners' gains"),
  classGain: z
    .number()
    .nullable()
    .describe(
      "Gain of the included learners' mean scores: (mean post − mean pre) / (100 − mean pre)",
    ),
  band: z.enum(["high", "medium", "low"]).nullable(),
  bands: z.object({ high: z.number(), medium: z.number(), low: z.number() }),
});

const gradesRow = z.object({
  enrollmentId: z.uuid(),
  userId: z.uuid(),
  scores: z.array(
    z.object({
      quizId: z.uuid(),
      bestScore: z.number().nullable(),
      bestAttemptId: z.uuid().nullable().describe("The attempt that gave the best score"),
      lastAttemptId: z.uuid().nullable().describe("The latest graded attempt"),
      passed: z.boolean(),
      attemptsUsed: z.number().int(),
    }),
  ),
  currentGrade: z.number().nullable().describe("Weighted over the quizzes taken so far"),
  finalGrade: z.number().nullable().describe("Weighted over every counted quiz; not taken = 0"),
});
const gradeQuizzes = z.array(
  z.object({
    id: z.uuid(),
    title: z.string(),
    kind: z.string(),
    weight: z.number(),
    weightShare: z.number(),
  }),
);

/** The course team's view of results: queue, gradebooks, item analysis, learning gain. */
export async function assessmentReportRoutes(app: App): Promise<void> {
  const tags = ["Grading"];
  app.get(
    "/api/v1/courses/:courseId/grading-queue",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Open answers waiting for a grade, and AI grades flagged for review",
        description:
          "Oldest submission first. `show=graded` lists instead the answers a person or the AI grader graded (not the automatic rules), the latest grade first, for regrading.",
        params: idParam("courseId"),
        querystring: z.object({
          quizId: ref("quiz").optional(),
          show: z.enum(["pending", "flagged", "all", "graded"]).default("all"),
        }),
        response: {
          200: envelope(
            z.array(
              z
                .object({
                  answerId: z.uuid(),
                  attemptId: z.uuid(),
                  attemptNumber: z.number().int(),
                  quizId: z.uuid(),
                  quizTitle: z.string(),
                  questionId: z.uuid(),
                  question: anyObject,
                  learner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
                  response: anyObject.nullable(),
                  submittedAt: iso().nullable(),
                  outcome: z.enum(OUTCOMES).nullable(),
                  points: z.number().nullable(),
                  maxPoints: z.number().nullable(),
                  flaggedForReview: z.boolean(),
                  gradedAt: iso().nullable(),
                  gradedBy: z
                    .object({ id: z.uuid(), name: z.string() })
                    .nullable()
                    .describe("The person who last graded the answer; null for rules and the AI"),
                  manualOverride: z
                    .boolean()
                    .describe("A person changed a grade the rules or the AI grader gave"),
                  ai: anyObject.nullable(),
                })
                .meta({ id: "GradingQueueItem" }),
            ),
          ),
        },
      },
    },
    async (request) => ok(await gradingQueue(request.ctx, request.params.courseId, request.query)),
  );

  app.get(
    "/api/v1/quizzes/:quizId/results",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "A quiz's gradebook: every learner's attempts, best and last score, pass",
        params: idParam("quizId"),
        response: {
          200: envelope(
            z.array(
              z.object({
                userId: z.uuid(),
                enrollmentId: z.uuid(),
                name: z.string(),
                email: z.string(),
                attemptsUsed: z.number().int(),
                bestScore: z.number().nullable(),
                bestAttemptId: z.uuid().nullable(),
                lastScore: z.number().nullable(),
                lastAttemptId: z.uuid().nullable(),
                passed: z.boolean(),
                passedAt: iso().nullable(),
                openAttemptId: z.uuid().nullable(),
              }),
            ),
          ),
        },
      },
    },
    async (request) => ok(await quizGradebook(request.ctx, request.params.quizId)),
  );

  app.get(
    "/api/v1/quizzes/:quizId/item-analysis",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Item analysis: difficulty, discrimination, option counts, score distribution",
        description:
          "Difficulty p is the mean share of a question's points earned; discrimination D the mean share among the top 27 % of attempts less the bottom 27 %; pointBiserial correlates the item with the rest of the score. Flags: very-easy, very-hard, low-discrimination, unused-distractor, distractor-beats-key.",
        params: idParam("quizId"),
        querystring: z.object({ firstOnly: queryFlag().default(false) }),
        response: {
          200: envelope(
            z
              .object({
                quizId: z.uuid(),
                attempts: z.number().int(),
                firstAttemptsOnly: z.boolean(),
                scoreDistribution: z.object({
                  attempts: z.number().int(),
                  mean: z.number().nullable(),
                  median: z.number().nullable(),
                  stdDev: z.number().nullable(),
                  min: z.number().nullable(),
                  max: z.number().nullable(),
                  passRate: z.number().nullable(),
                  buckets: z.array(
                    z.object({ from: z.number(), to: z.number(), count: z.number() }),
                  ),
                }),
                items: z.array(
                  z.object({
                    questionId: z.uuid(),
                    position: z.number().int(),
                    type: z.string(),
                    text: z.string(),
                    responses: z.number().int(),
                    difficulty: z.number().nullable(),
                    discrimination: z.number().nullable(),
                    pointBiserial: z.number().nullable(),
                    outcomes: z.record(z.string(), z.number()),
                    options: z
                      .array(
                        z.object({
                          id: z.string(),
                          text: z.string(),
                          correct: z.boolean(),
                          count: z.number().int(),
                        }),
                      )
                      .nullable(),
                    flags: z.array(z.string()),
                  }),
                ),
              })
              .meta({ id: "ItemAnalysis" }),
          ),
        },
      },
    },
    async (request) => ok(await itemAnalysis(request.ctx, request.params.quizId, request.query)),
  );

  app.get(
    "/api/v1/courses/:courseId/learning-gain",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Learning gain of a course: per learner, per cohort, per skill, and overall",
        description:
          "Hake's normalized gain g = (post − pre) / (100 − pre) from each learner's first pre-course and latest post-course score; bands high ≥ 0.7, medium ≥ 0.3, low. `averageGain` (the mean of the gains) and `classGain` (the gain of the mean scores) are computed over the same learners: those with both scores whose pre-score was below 100 (`included`). Learners who started at 100 have no gain; they are counted in `atCeiling` and left out of both averages. Learners who keep their scores from the caller (privacy settings) are left out of everything.",
        params: idParam("courseId"),
        response: {
          200: envelope(
            z
              .object({
                course: aggregateSchema,
                cohorts: z.array(
                  aggregateSchema.extend({
                    cohortId: z.uuid().nullable(),
                    name: z.string().nullable(),
                  }),
                ),
                skills: z.array(aggregateSchema.extend({ skillId: z.string() })),
                learners: z.array(gainSchema.extend({ name: z.string(), email: z.string() })),
              })
              .meta({ id: "CourseLearningGain" }),
          ),
        },
      },
    },
    async (request) => {
      const course = await courseForGrading(request.ctx, request.params.courseId);
      return ok(await courseGainReport(request.ctx, course.id));
    },
  );

  app.get(
    "/api/v1/enrollments/:enrollmentId/learning-gain",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary:
          "One learner's learning gain in a course (null until both pre and post are graded, or for others when the learner keeps their scores)",
        params: idParam("enrollmentId"),
        response: { 200: envelope(gainSchema.nullable()) },
      },
    },
    async (request) => {
      const enrollment = await visibleEnrollment(request.ctx, request.params.enrollmentId);
      return ok(await enrollmentGain(request.ctx, enrollment));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/gradebook",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The course gradebook: best score per quiz and the weighted course grade",
        description:
          "Quizzes count by their weightPercent; when none has a weight, every published graded, certification, knowledge-check, skill-assessment and post-course quiz counts equally. CSV with format=csv.",
        params: idParam("courseId"),
        querystring: z.object({ format: z.enum(["json", "csv"]).default("json") }),
        response: {
          200: envelope(
            z
              .object({
                quizzes: gradeQuizzes,
                learners: z.array(gradesRow.extend({ name: z.string(), email: z.string() })),
              })
              .meta({ id: "CourseGradebook" }),
          ),
        },
      },
    },
    async (request, reply) => {
      const course = await courseForGrading(request.ctx, request.params.courseId);
      const enrollments = await request.ctx.db
        .selectFrom("enrollments as e")
        .innerJoin("users as u", "u.id", "e.user_id")
        .selectAll("e")
        .select(["u.first_name", "u.last_name", "u.email"])
        .where("e.course_id", "=", course.id)
        .where("e.status", "in", ["active", "completed", "suspended", "expired"])
        .orderBy("u.last_name")
        .orderBy("u.first_name")
        .execute();
      const grades = await courseGrades(request.ctx, course.id, enrollments);
      const learners = grades.learners.map((row, i) => {
        const e = enrollments[i] as (typeof enrollments)[number];
        return { ...row, name: `${e.first_name} ${e.last_name}`.trim(), email: e.email };
      });
      if (request.query.format === "csv") {
        const csv = toCsv(
          ["name", "email", ...grades.quizzes.map((q) => q.title), "current grade", "final grade"],
          learners.map((l) => [
            l.name,
            l.email,
            ...l.scores.map((s) => s.bestScore),
            l.currentGrade,
            l.finalGrade,
          ]),
        );
        return reply
          .header("content-disposition", `attachment; filename="gradebook-${course.code}.csv"`)
          .type("text/csv; charset=utf-8")
          .serializer((p: unknown) => p as string)
          .send(csv as never);
      }
      return ok({ quizzes: grades.quizzes, learners });
    },
  );

  app.get(
    "/api/v1/enrollments/:enrollmentId/grades",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "One enrollment's course grade and best score per counted quiz",
        params: idParam("enrollmentId"),
        response: { 200: envelope(gradesRow.extend({ quizzes: gradeQuizzes })) },
      },
    },
    async (request) => {
      const enrollment = await visibleEnrollment(request.ctx, request.params.enrollmentId);
      const grades = await courseGrades(request.ctx, enrollment.course_id, [enrollment]);
      return ok({
        ...(grades.learners[0] as (typeof grades.learners)[number]),
        quizzes: grades.quizzes,
      });
    },
  );
}
