import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import { toCsv } from "../../platform/csv.js";
import { done, envelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { visibleCourse } from "../catalog/policy.js";
import { visibleEnrollment } from "../enrollment/manage.js";
import { iso } from "../enrollment/present.js";
import { requireEnrollment } from "./access.js";
import { addBookmark, removeBookmark, saveNotes } from "./notes.js";
import { courseProgressSchema, progressForViewer } from "./present-progress.js";
import { transcript } from "./queries.js";
import type { LessonProgressRow } from "./schema.js";
import { completeLesson, progressOf, recordHeartbeat, startLesson } from "./tracking.js";

const bookmarkSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  note: z.string().nullable(),
  createdAt: iso(),
});

const lessonProgressSchema = z
  .object({
    lessonId: z.uuid(),
    enrollmentId: z.uuid(),
    status: z.enum(["in-progress", "completed"]),
    startedAt: iso(),
    completedAt: iso().nullable(),
    lastPosition: z.number().int(),
    completionPercent: z.number(),
    timeSpentSeconds: z.number().int(),
    lastActivityAt: iso(),
    notes: z.string().nullable(),
    bookmarks: z.array(bookmarkSchema),
  })
  .meta({ id: "LessonProgress" });

function present(p: LessonProgressRow) {
  return {
    lessonId: p.lesson_id,
    enrollmentId: p.enrollment_id,
    status: p.status,
    startedAt: p.started_at.toISOString(),
    completedAt: p.completed_at?.toISOString() ?? null,
    lastPosition: p.last_position,
    completionPercent: Number(p.completion_percent),
    timeSpentSeconds: p.time_spent_seconds,
    lastActivityAt: p.last_activity_at.toISOString(),
    notes: p.notes,
    bookmarks: p.bookmarks,
  };
}

const iso8601 = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Lesson progress, notes and bookmarks, course progress and transcripts (seed 002). */
export async function progressRoutes(app: App): Promise<void> {
  const tags = ["Progress"];
  const lessonParams = idParam("lessonId");

  app.post(
    "/api/v1/lessons/:lessonId/start",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Open a lesson (starts the course and module on first visit)",
        description:
          "Needs an active enrollment inside its access window (`NOT_ENROLLED`) and an open module (`MODULE_LOCKED`, with what it waits for).",
        params: lessonParams,
        response: { 200: envelope(lessonProgressSchema) },
      },
    },
    async (request) => ok(present(await startLesson(request.ctx, request.params.lessonId))),
  );

  app.post(
    "/api/v1/lessons/:lessonId/heartbeat",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Report position and study time while a lesson is open",
        description:
          "Send every 15–60 s. `seconds` counts at most the time since the previous heartbeat, and at most 300 s at once.",
        params: lessonParams,
        body: z.object({
          position: z.number().int().min(0).max(100_000_000).optional(),
          seconds: z.number().int().min(0).max(3600).optional(),
          percent: z.number().min(0).max(100).optional(),
        }),
        response: { 200: envelope(lessonProgressSchema) },
      },
    },
    async (request) =>
      ok(present(await recordHeartbeat(request.ctx, request.params.lessonId, request.body))),
  );

  app.post(
    "/api/v1/lessons/:lessonId/complete",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Complete a lesson",
        description:
          "The lesson must be started and have had its minimum study time (`MIN_TIME_NOT_MET`). Says whether this completed the module or the course and which modules it opened. Completing twice changes nothing.",
        params: lessonParams,
        response: {
          200: envelope(
            z.object({
              progress: lessonProgressSchema,
              moduleCompleted: z.boolean(),
              courseCompleted: z.boolean(),
              unlockedModules: z.array(z.uuid()),
            }),
          ),
        },
      },
    },
    async (request) => {
      const result = await completeLesson(request.ctx, request.params.lessonId);
      return ok({ ...result, progress: present(result.progress) });
    },
  );

  app.get(
    "/api/v1/lessons/:lessonId/progress",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My progress, notes and bookmarks on a lesson",
        params: lessonParams,
        response: { 200: envelope(lessonProgressSchema.nullable()) },
      },
    },
    async (request) => {
      const lesson = await request.ctx.db
        .selectFrom("lessons")
        .select("course_id")
        .where("id", "=", request.params.lessonId)
        .executeTakeFirst();
      if (!lesson) throw new AppError("NOT_FOUND", "Lesson not found");
      const enrollment = await requireEnrollment(request.ctx, lesson.course_id);
      const row = await progressOf(request.ctx.db, enrollment.id, request.params.lessonId);
      return ok(row ? present(row) : null);
    },
  );

  app.put(
    "/api/v1/lessons/:lessonId/notes",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Save my notes on a lesson (plain text; empty clears them)",
        params: lessonParams,
        body: z.object({ notes: z.string().max(20_000).nullable() }),
        response: { 200: envelope(lessonProgressSchema) },
      },
    },
    async (request) =>
      ok(present(await saveNotes(request.ctx, request.params.lessonId, request.body.notes))),
  );

  app.post(
    "/api/v1/lessons/:lessonId/bookmarks",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Bookmark a position in a lesson",
        params: lessonParams,
        body: z.object({
          position: z.number().int().min(0).max(100_000_000),
          note: z.string().trim().max(500).optional(),
        }),
        response: { 201: envelope(bookmarkSchema) },
      },
    },
    async (request, reply) => {
      const bookmark = await addBookmark(request.ctx, request.params.lessonId, request.body);
      reply.code(201);
      return ok(bookmark);
    },
  );

  app.delete(
    "/api/v1/lessons/:lessonId/bookmarks/:bookmarkId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Remove a bookmark",
        params: z.object({ lessonId: z.uuid(), bookmarkId: z.uuid() }),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeBookmark(request.ctx, request.params.lessonId, request.params.bookmarkId);
      return done();
    },
  );

  app.get(
    "/api/v1/enrollments/:enrollmentId/progress",
    {
      config: { access: { permission: "enrollments:read" } },
      schema: {
        tags,
        summary: "An enrollment's progress: modules (open or locked) and lessons",
        description: "For the learner, the course team, and organization readers who reach them.",
        params: idParam("enrollmentId"),
        response: { 200: envelope(courseProgressSchema) },
      },
    },
    async (request) => {
      const enrollment = await visibleEnrollment(request.ctx, request.params.enrollmentId);
      // Someone else's progress is a read of their data: the access log.
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: enrollment.organization_id,
        subjectUserIds: [enrollment.user_id],
        what: "progress",
        detail: `enrollment ${enrollment.id}`,
      });
      return ok(await progressForViewer(request.ctx, enrollment));
    },
  );

  app.get(
    "/api/v1/courses/:courseId/progress/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My progress in a course (null when I hold no enrollment in it)",
        description:
          "The same view as an enrollment's progress, found by the course: the caller's latest enrollment in it that is not dropped or expired. Lets a course page ask for it together with the course instead of after the caller's enrollments.",
        params: idParam("courseId"),
        response: { 200: envelope(courseProgressSchema.nullable()) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      await visibleCourse(ctx, request.params.courseId);
      const enrollment = await ctx.db
        .selectFrom("enrollments")
        .selectAll()
        .where("user_id", "=", signedInUserId(request.actor))
        .where("course_id", "=", request.params.courseId)
        .where("status", "not in", ["dropped", "expired"])
        .orderBy("enrolled_at", "desc")
        .limit(1)
        .executeTakeFirst();
      return ok(enrollment ? await progressForViewer(ctx, enrollment) : null);
    },
  );

  app.get(
    "/api/v1/users/me/transcript",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary:
          "My transcript: every course taken, with status, dates, progress and time (CSV with format=csv)",
        querystring: z.object({ format: z.enum(["json", "csv"]).default("json") }),
        response: {
          200: envelope(
            z.object({
              totals: z.object({
                enrollments: z.number().int(),
                completed: z.number().int(),
                inProgress: z.number().int(),
                timeSpentSeconds: z.number().int(),
              }),
              courses: z.array(
                z.object({
                  enrollmentId: z.uuid(),
                  courseId: z.uuid(),
                  title: z.string(),
                  code: z.string(),
                  cohortName: z.string().nullable(),
                  status: z.string(),
                  isMandatory: z.boolean(),
                  isCompliance: z.boolean(),
                  dueAt: iso().nullable(),
                  enrolledAt: iso(),
                  startedAt: iso().nullable(),
                  completedAt: iso().nullable(),
                  progressPercent: z.number(),
                  lessonsCompleted: z.number().int(),
                  lessonsTotal: z.number().int(),
                  timeSpentSeconds: z.number().int(),
                  lastActivityAt: iso().nullable(),
                }),
              ),
            }),
          ),
        },
      },
    },
    async (request, reply) => {
      const { rows, totals } = await transcript(request.ctx, signedInUserId(request.actor));
      if (request.query.format === "csv") {
        const csv = toCsv(
          [
            "course_code",
            "course",
            "cohort",
            "status",
            "enrolled_at",
            "completed_at",
            "progress_percent",
            "lessons_completed",
            "lessons_total",
            "time_spent_minutes",
            "mandatory",
            "compliance",
            "due_at",
          ],
          rows.map((r) => [
            r.course_code,
            r.course_title,
            r.cohort_name,
            r.status,
            r.enrolled_at.toISOString(),
            iso8601(r.completed_at),
            Number(r.progress_percent),
            r.lessons_completed,
            r.lessons_total,
            Math.round(r.time_spent_seconds / 60),
            r.is_mandatory ? "yes" : "no",
            r.is_compliance ? "yes" : "no",
            iso8601(r.due_at),
          ]),
        );
        return reply
          .header("content-disposition", 'attachment; filename="transcript.csv"')
          .type("text/csv; charset=utf-8")
          .serializer((p: unknown) => p as string)
          .send(csv as never);
      }
      return ok({
        totals,
        courses: rows.map((r) => ({
          enrollmentId: r.id,
          courseId: r.course_id,
          title: r.course_title,
          code: r.course_code,
          cohortName: r.cohort_name,
          status: r.status,
          isMandatory: r.is_mandatory,
          isCompliance: r.is_compliance,
          dueAt: iso8601(r.due_at),
          enrolledAt: r.enrolled_at.toISOString(),
          startedAt: iso8601(r.started_at),
          completedAt: iso8601(r.completed_at),
          progressPercent: Number(r.progress_percent),
          lessonsCompleted: r.lessons_completed,
          lessonsTotal: r.lessons_total,
          timeSpentSeconds: r.time_spent_seconds,
          lastActivityAt: iso8601(r.last_accessed_at),
        })),
      });
    },
  );
}
