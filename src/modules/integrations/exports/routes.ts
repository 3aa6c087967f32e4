import { z } from "zod";
import { done, envelope, ok, okEmpty } from "../../../platform/http/envelope.js";
import { AppError } from "../../../platform/http/errors.js";
import { type App, idParam } from "../../../platform/http/server.js";
import { ref } from "../../../platform/references.js";
import { visibleIntegration } from "../integrations.js";
import { requestSync } from "../sync/engine.js";
import { presentRun, syncRunSchema } from "../sync/presenter.js";
import {
  courseLinkSchema,
  createCourseLink,
  listCourseLinks,
  presentCourseLink,
  removeCourseLink,
} from "./links.js";

/** The export direction: course links, and export runs (issue 15 §3). */
export async function exportRoutes(app: App): Promise<void> {
  const tags = ["LMS integrations"];
  const access = { permission: "integrations:manage" } as const;
  const integration = idParam("integrationId");

  app.get(
    "/api/v1/lms-integrations/:integrationId/course-links",
    {
      config: { access },
      schema: {
        tags,
        summary: "Which Lyceum courses an integration sends to which external course",
        params: integration,
        response: { 200: envelope(z.array(courseLinkSchema)) },
      },
    },
    async (request) =>
      ok((await listCourseLinks(request.ctx, request.params.integrationId)).map(presentCourseLink)),
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/course-links",
    {
      config: { access },
      schema: {
        tags,
        summary: "Link a Lyceum course to a course in the external system",
        description:
          "Export runs push the people enrolled in the course (members of the organization), their enrollments and their completions to the external course. Only the organization's own courses, not those mirrored from an external system; one link per course and integration (CONFLICT otherwise).",
        params: integration,
        body: z
          .object({
            courseId: ref("course"),
            externalCourseId: z
              .string()
              .trim()
              .min(1)
              .max(200)
              .describe(
                "The course's id in the external system (Moodle course id, Canvas course id, …)",
              ),
          })
          .strict(),
        response: { 201: envelope(courseLinkSchema) },
      },
    },
    async (request, reply) => {
      const link = await createCourseLink(request.ctx, request.params.integrationId, request.body);
      reply.code(201);
      return ok(presentCourseLink(link));
    },
  );

  app.delete(
    "/api/v1/integration-course-links/:courseLinkId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Remove a course link",
        description: "Later export runs leave the course out; what was sent stays over there.",
        params: idParam("courseLinkId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await removeCourseLink(request.ctx, request.params.courseLinkId);
      return done();
    },
  );

  app.post(
    "/api/v1/lms-integrations/:integrationId/exports",
    {
      config: { access },
      schema: {
        tags,
        summary: "Start an export run",
        description:
          "Queues a run (direction `export`) that pushes, for each course link, the people enrolled in the Lyceum course, their enrollments and their completions to the external system. Only what changed since it was last sent is pushed. One run at a time per integration (SYNC_IN_PROGRESS otherwise); integrations whose direction is `import` refuse it (UNPROCESSABLE). A dry run sends nothing and reports what it would send.",
        params: integration,
        body: z.object({ dryRun: z.boolean().default(false) }).strict(),
        response: { 202: envelope(syncRunSchema) },
      },
    },
    async (request, reply) => {
      const found = await visibleIntegration(request.ctx, request.params.integrationId);
      if (found.direction === "import")
        throw new AppError(
          "UNPROCESSABLE",
          "The integration only reads data in: set its direction to export or both to send data out",
        );
      if (!found.is_active)
        throw new AppError("CONFLICT", "The integration is inactive: activate it to send data");
      const run = await requestSync(
        request.ctx,
        { id: found.id, organizationId: found.organization_id },
        { dryRun: request.body.dryRun, direction: "export" },
      );
      reply.code(202);
      return ok(presentRun(run));
    },
  );
}
