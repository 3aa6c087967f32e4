import { z } from "zod";
import { done, envelope, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  createLesson,
  createModule,
  deleteLesson,
  deleteModule,
  reorderLessons,
  reorderModules,
  updateLesson,
  updateModule,
} from "./content.js";
import { LESSON_TYPES } from "./lesson-content.js";
import { lessonSchema, moduleSchema, presentLesson, presentModule } from "./presenter.js";

const moduleFields = {
  title: z.string().trim().min(1).max(255),
  description: z.string().max(5000).nullable(),
  isPublished: z.boolean(),
  unlockType: z.enum(["immediate", "scheduled", "sequential", "prerequisites"]),
  unlockAt: z.iso.datetime({ offset: true }).nullable(),
  prerequisiteModuleIds: z.array(ref("module")).max(50),
  estimatedDurationMinutes: z.number().int().min(0).max(100_000).nullable(),
  sessionType: z.enum(["S", "W", "MM", "CAP", "IO"]).nullable(),
  dayNumber: z.number().int().min(1).max(365).nullable(),
  orderInDay: z.number().int().min(1).max(100).nullable(),
  outcomes: z.array(z.string().trim().min(1).max(500)).max(50),
};

const lessonFields = {
  title: z.string().trim().min(1).max(255),
  description: z.string().max(5000).nullable(),
  contentType: z
    .enum(LESSON_TYPES as [string, ...string[]])
    .describe("video, text, pdf, audio, interactive, live-session or external-link"),
  content: z
    .record(z.string(), z.unknown())
    .describe("Shape depends on contentType; text lessons take { html } which is sanitized"),
  durationMinutes: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .describe("Worked out from the content when omitted"),
  minTimeSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .describe("Minimum time on the lesson before it can be completed"),
  isPreview: z.boolean().describe("Open to everyone who can see the course"),
  isPublished: z.boolean(),
  allowComments: z.boolean(),
  attachments: z
    .array(
      z.object({
        name: z.string().min(1).max(255),
        url: z.url().max(2000),
        sizeBytes: z.number().int().min(0).optional(),
        mimeType: z.string().max(100).optional(),
      }),
    )
    .max(50),
  transcript: z.string().max(500_000).nullable(),
};

/** Modules and lessons of a course (seed 002 §Module & Lesson). */
export async function contentRoutes(app: App): Promise<void> {
  const tags = ["Course content"];

  app.post(
    "/api/v1/courses/:courseId/modules",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add a module at the end of a course",
        description:
          "Cohort courses can mark modules as sessions (S, W, MM, CAP, IO) with a day and an order in the day.",
        params: idParam("courseId"),
        body: z.object(moduleFields).partial().required({ title: true }),
        response: { 201: envelope(moduleSchema) },
      },
    },
    async (request, reply) => {
      const module = await createModule(request.ctx, request.params.courseId, request.body);
      reply.code(201);
      return ok(presentModule(module));
    },
  );

  app.put(
    "/api/v1/courses/:courseId/modules/order",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Reorder a course's modules",
        params: idParam("courseId"),
        body: z.object({
          moduleIds: z
            .array(ref("module"))
            .min(1)
            .max(500)
            .describe("Every module of the course, in the new order"),
        }),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await reorderModules(request.ctx, request.params.courseId, request.body.moduleIds);
      return done();
    },
  );

  app.patch(
    "/api/v1/modules/:moduleId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Change a module",
        params: idParam("moduleId"),
        body: z.object(moduleFields).partial().strict(),
        response: { 200: envelope(moduleSchema) },
      },
    },
    async (request) =>
      ok(presentModule(await updateModule(request.ctx, request.params.moduleId, request.body))),
  );

  app.delete(
    "/api/v1/modules/:moduleId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a module and its lessons",
        params: idParam("moduleId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteModule(request.ctx, request.params.moduleId);
      return done();
    },
  );

  app.post(
    "/api/v1/modules/:moduleId/lessons",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add a lesson at the end of a module",
        params: idParam("moduleId"),
        body: z
          .object(lessonFields)
          .partial()
          .required({ title: true, contentType: true, content: true }),
        response: { 201: envelope(lessonSchema) },
      },
    },
    async (request, reply) => {
      const lesson = await createLesson(
        request.ctx,
        request.params.moduleId,
        request.body as Parameters<typeof createLesson>[2],
      );
      reply.code(201);
      return ok(presentLesson(lesson));
    },
  );

  app.put(
    "/api/v1/modules/:moduleId/lessons/order",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Reorder a module's lessons",
        params: idParam("moduleId"),
        body: z.object({ lessonIds: z.array(ref("lesson")).min(1).max(500) }),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await reorderLessons(request.ctx, request.params.moduleId, request.body.lessonIds);
      return done();
    },
  );

  app.patch(
    "/api/v1/lessons/:lessonId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Change a lesson",
        params: idParam("lessonId"),
        body: z.object(lessonFields).partial().strict(),
        response: { 200: envelope(lessonSchema) },
      },
    },
    async (request) =>
      ok(
        presentLesson(
          await updateLesson(
            request.ctx,
            request.params.lessonId,
            request.body as Parameters<typeof updateLesson>[2],
          ),
        ),
      ),
  );

  app.delete(
    "/api/v1/lessons/:lessonId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a lesson",
        params: idParam("lessonId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteLesson(request.ctx, request.params.lessonId);
      return done();
    },
  );
}
