import { z } from "zod";
import { done, envelope, isoDateTime, ok, okEmpty } from "../../platform/http/envelope.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import {
  createCohort,
  listCohorts,
  transitionCohort,
  updateCohort,
  visibleCohort,
} from "./cohorts.js";
import {
  addKitItem,
  addRecording,
  deleteKitItem,
  deleteRecording,
  updateKitItem,
} from "./materials.js";
import { kitSchema, presentKit, presentRecording, recordingSchema } from "./presenter.js";
import type { CohortRow } from "./schema.js";

const iso = isoDateTime;
const STATUSES = ["scheduled", "open", "in-progress", "completed", "cancelled"] as const;

const cohortSchema = z
  .object({
    id: z.uuid(),
    courseId: z.uuid(),
    organizationId: z.uuid().nullable().describe("Set for a cohort private to one organization"),
    name: z.string(),
    startsAt: iso(),
    endsAt: iso(),
    timezone: z.string(),
    capacity: z.number().int(),
    enrolledCount: z.number().int(),
    waitlistCount: z.number().int(),
    seatsLeft: z.number().int(),
    status: z.enum(STATUSES),
    instructorId: z.uuid().nullable(),
    meetingUrl: z.string().nullable(),
    cancelledReason: z.string().nullable(),
  })
  .meta({ id: "Cohort" });

function presentCohort(c: CohortRow) {
  return {
    id: c.id,
    courseId: c.course_id,
    organizationId: c.organization_id,
    name: c.name,
    startsAt: c.starts_at.toISOString(),
    endsAt: c.ends_at.toISOString(),
    timezone: c.timezone,
    capacity: c.capacity,
    enrolledCount: c.enrolled_count,
    waitlistCount: c.waitlist_count,
    seatsLeft: Math.max(0, c.capacity - c.enrolled_count),
    status: c.status,
    instructorId: c.instructor_id,
    meetingUrl: c.meeting_url,
    cancelledReason: c.cancelled_reason,
  };
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const cohortFields = {
  name: z.string().trim().min(1).max(200),
  startsAt: iso(),
  endsAt: iso(),
  timezone: z.string().refine(isTimeZone, "an IANA time zone"),
  capacity: z.number().int().min(1).max(100_000),
  organizationId: ref("organization")
    .nullable()
    .describe("Make the cohort private to one organization (B2B)"),
  instructorId: ref("user").nullable(),
  meetingUrl: z.url().max(2000).nullable(),
};

const kitFields = {
  title: z.string().trim().min(1).max(255),
  type: z.enum(["slides", "prompts", "template", "chatbot", "worksheet"]),
  url: z.url().max(2000),
  description: z.string().max(2000).nullable(),
  position: z.number().int().min(1).max(10_000),
};

/** Cohorts (seed 001): schedule, capacity, lifecycle; recordings; the enablement kit. */
export async function cohortRoutes(app: App): Promise<void> {
  const tags = ["Cohorts"];

  app.get(
    "/api/v1/courses/:courseId/cohorts",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "A course's cohorts",
        description:
          "Private cohorts only for their organization's members and the people who run them.",
        params: idParam("courseId"),
        querystring: z.object({ status: z.enum(STATUSES).optional() }),
        response: { 200: envelope(z.array(cohortSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listCohorts(request.ctx, request.params.courseId, request.query.status)).map(
          presentCohort,
        ),
      ),
  );

  app.post(
    "/api/v1/courses/:courseId/cohorts",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "Schedule a cohort",
        description:
          "Cohort-based courses only. Starts `scheduled`; open it to accept enrollments.",
        params: idParam("courseId"),
        body: z
          .object(cohortFields)
          .partial({ timezone: true, organizationId: true, instructorId: true, meetingUrl: true }),
        response: { 201: envelope(cohortSchema) },
      },
    },
    async (request, reply) => {
      const cohort = await createCohort(request.ctx, request.params.courseId, request.body);
      reply.code(201);
      return ok(presentCohort(cohort));
    },
  );

  app.get(
    "/api/v1/cohorts/:cohortId",
    {
      config: { access: { public: true, identify: true } },
      schema: {
        tags,
        summary: "One cohort",
        params: idParam("cohortId"),
        response: { 200: envelope(cohortSchema) },
      },
    },
    async (request) =>
      ok(presentCohort((await visibleCohort(request.ctx, request.params.cohortId)).cohort)),
  );

  app.patch(
    "/api/v1/cohorts/:cohortId",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "Change a cohort's dates, capacity, instructor or meeting link",
        description: "Capacity cannot drop below the people enrolled.",
        params: idParam("cohortId"),
        body: z.object(cohortFields).partial().strict(),
        response: { 200: envelope(cohortSchema) },
      },
    },
    async (request) =>
      ok(presentCohort(await updateCohort(request.ctx, request.params.cohortId, request.body))),
  );

  app.post(
    "/api/v1/cohorts/:cohortId/status",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "Move a cohort along its lifecycle",
        description:
          "scheduled → open → in-progress → completed; open may go back to scheduled; anything before completion may be cancelled.",
        params: idParam("cohortId"),
        body: z.object({
          status: z.enum(STATUSES),
          reason: z.string().max(1000).nullable().optional(),
        }),
        response: { 200: envelope(cohortSchema) },
      },
    },
    async (request) =>
      ok(
        presentCohort(
          await transitionCohort(
            request.ctx,
            request.params.cohortId,
            request.body.status,
            request.body.reason,
          ),
        ),
      ),
  );

  app.post(
    "/api/v1/cohorts/:cohortId/recordings",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "Add a session recording",
        params: idParam("cohortId"),
        body: z.object({
          title: z.string().trim().min(1).max(255),
          videoUrl: z.url().max(2000),
          durationSeconds: z.number().int().min(0).max(86_400).optional(),
          moduleId: ref("module").nullable().optional().describe("The session (module) it records"),
          recordedAt: iso().nullable().optional(),
        }),
        response: { 201: envelope(recordingSchema) },
      },
    },
    async (request, reply) => {
      const row = await addRecording(request.ctx, request.params.cohortId, request.body);
      reply.code(201);
      return ok(presentRecording(row));
    },
  );

  app.delete(
    "/api/v1/recordings/:recordingId",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "Delete a session recording",
        params: idParam("recordingId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteRecording(request.ctx, request.params.recordingId);
      return done();
    },
  );

  app.post(
    "/api/v1/courses/:courseId/kit-items",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Add a kit item (slides, prompts, template, chatbot, worksheet)",
        params: idParam("courseId"),
        body: z.object(kitFields).partial({ description: true, position: true }),
        response: { 201: envelope(kitSchema) },
      },
    },
    async (request, reply) => {
      const row = await addKitItem(request.ctx, request.params.courseId, request.body);
      reply.code(201);
      return ok(presentKit(row));
    },
  );

  app.patch(
    "/api/v1/kit-items/:kitItemId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Change a kit item",
        description: "Only the fields sent change; `position` orders the kit (lowest first).",
        params: idParam("kitItemId"),
        body: z.object(kitFields).partial().strict(),
        response: { 200: envelope(kitSchema) },
      },
    },
    async (request) =>
      ok(presentKit(await updateKitItem(request.ctx, request.params.kitItemId, request.body))),
  );

  app.delete(
    "/api/v1/kit-items/:kitItemId",
    {
      config: { access: { permission: "courses:manage" } },
      schema: {
        tags,
        summary: "Delete a kit item",
        params: idParam("kitItemId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteKitItem(request.ctx, request.params.kitItemId);
      return done();
    },
  );
}
