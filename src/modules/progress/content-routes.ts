import { z } from "zod";
import { envelope, ok } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { can } from "../../platform/policy/engine.js";
import { lessonWithCourse } from "../catalog/content.js";
import { courseTarget, courseTeam } from "../catalog/policy.js";
import { lessonSchema, presentLesson } from "../catalog/presenter.js";
import { kitSchema, presentKit, presentRecording, recordingSchema } from "../cohorts/presenter.js";
import { assertModuleUnlocked, requireEnrollment } from "./access.js";
import { listKitItems, listRecordings } from "./materials.js";

/**
 * What learners read: a lesson's content, a cohort's recordings, a course's enablement kit.
 * Catalog and cohorts author this material; whether a learner may read it depends on their
 * enrollment, so the reading routes live here, above enrollment, and keep their URLs.
 */
export async function lessonContentRoutes(app: App): Promise<void> {
  const tags = ["Course content"];

  app.get(
    "/api/v1/lessons/:lessonId",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A lesson with its content",
        description:
          "Preview lessons are open to everyone who can see the course; others to its instructor, staff and editors, and to enrolled learners once the lesson's module is open (`MODULE_LOCKED` otherwise).",
        params: idParam("lessonId"),
        response: { 200: envelope(lessonSchema) },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const { lesson, course } = await lessonWithCourse(ctx, request.params.lessonId, false);
      const team = await courseTeam(ctx, course);
      const access = await ctx.actor.access();
      const staff =
        can(access, "courses:read", courseTarget(course, team, "staff")) ||
        can(access, "courses:manage", courseTarget(course, team, "editors"));
      if (!lesson.is_published && !staff) throw new AppError("NOT_FOUND", "Lesson not found");
      if (!lesson.is_preview && !staff) {
        // Enrolled learners read lessons of the modules that are open to them.
        const enrollment = await requireEnrollment(ctx, course.id);
        await assertModuleUnlocked(ctx, enrollment, lesson.module_id);
      }
      return ok(presentLesson(lesson));
    },
  );
}

/** Recordings and kit items for a cohort's learners and the people who run it. */
export async function materialRoutes(app: App): Promise<void> {
  const tags = ["Cohorts"];

  app.get(
    "/api/v1/cohorts/:cohortId/recordings",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "A cohort's session recordings (for its learners and the people who run it)",
        params: idParam("cohortId"),
        response: { 200: envelope(z.array(recordingSchema)) },
      },
    },
    async (request) =>
      ok((await listRecordings(request.ctx, request.params.cohortId)).map(presentRecording)),
  );

  app.get(
    "/api/v1/courses/:courseId/kit-items",
    {
      config: { access: { permission: "courses:read" } },
      schema: {
        tags,
        summary: "A course's enablement kit (for its learners and the course team)",
        params: idParam("courseId"),
        response: { 200: envelope(z.array(kitSchema)) },
      },
    },
    async (request) =>
      ok((await listKitItems(request.ctx, request.params.courseId)).map(presentKit)),
  );
}
