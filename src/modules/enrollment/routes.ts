import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import { toCsv } from "../../platform/csv.js";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { privacyForViewer } from "../access/learner-privacy.js";
import { visibleCourse } from "../catalog/policy.js";
import { cohortForChange } from "../cohorts/cohorts.js";
import { enroll } from "./enroll.js";
import { changeEnrollment, visibleEnrollment } from "./manage.js";
import {
  enrollmentSchema,
  enrollmentViewSchema,
  enrollResult,
  presentEnrollment,
  presentEntry,
  presentResult,
  presentView,
  STATUSES,
  waitlistSchema,
  withoutActivity,
} from "./present.js";
import { courseRoster, myEnrollments } from "./queries.js";
import { viewsForViewer } from "./view-privacy.js";
import { acceptOffer, declineOffer, leaveWaitlist } from "./waitlist.js";

const cohortWaitlistSchema = waitlistSchema
  .extend({ learner: z.object({ name: z.string(), email: z.string() }) })
  .meta({ id: "CohortWaitlistEntry" });

/** Enrollment (seed 002 §Enrollment, seed 001 enrollments and waitlist). */
export async function enrollmentRoutes(app: App): Promise<void> {
  const tags = ["Enrollments"];

  app.post(
    "/api/v1/enrollments",
    {
      config: { access: { permission: "enrollments:create", apiKeys: false } },
      schema: {
        tags,
        summary: "Enroll myself in a course",
        description:
          "Open courses only (approval, invitation and paid courses have their own flows). Cohort-based courses need `cohortId`; when the cohort is full you join its waitlist (`waitlist: false` to fail instead).",
        body: z.object({
          courseId: ref("course"),
          cohortId: ref("cohort").optional(),
          waitlist: z.boolean().default(true),
        }),
        response: { 201: envelope(enrollResult) },
      },
    },
    async (request, reply) => {
      const userId = signedInUserId(request.actor);
      const course = await request.ctx.db
        .selectFrom("courses")
        .select(["enrollment_type"])
        .where("id", "=", request.body.courseId)
        .executeTakeFirst();
      if (course?.enrollment_type === "paid")
        throw new AppError(
          "PAYMENT_REQUIRED",
          "This course is paid: start a checkout (POST /api/v1/enrollments/checkout) or redeem an access code",
        );
      if (course && course.enrollment_type !== "open") {
        throw new AppError(
          "ENROLLMENT_CLOSED",
          `This course takes enrollments by ${course.enrollment_type}`,
          { details: { enrollmentType: course.enrollment_type } },
        );
      }
      await visibleCourse(request.ctx, request.body.courseId);
      const result = await enroll(request.ctx, {
        userId,
        courseId: request.body.courseId,
        cohortId: request.body.cohortId,
        source: "self",
        waitlist: request.body.waitlist,
      });
      reply.code(201);
      return ok(presentResult(result));
    },
  );

  app.get(
    "/api/v1/enrollments/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My enrollments",
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          status: z.enum(STATUSES).optional(),
        }),
        response: { 200: listEnvelope(enrollmentViewSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await myEnrollments(
        request.ctx,
        signedInUserId(request.actor),
        request.query,
      );
      return okList(rows.map(presentView), pagination);
    },
  );

  app.get(
    "/api/v1/courses/:courseId/enrollments",
    {
      config: { access: { permission: "enrollments:read" } },
      schema: {
        tags,
        summary: "A course's learners (CSV with format=csv)",
        description:
          "For the course's instructor and staff, and for organization readers (their organization's learners).",
        params: idParam("courseId"),
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          limit: z.coerce.number().int().min(1).max(1000).default(50),
          status: z.enum(STATUSES).optional(),
          cohortId: ref("cohort").optional(),
          search: z.string().trim().min(1).max(200).optional(),
          format: z.enum(["json", "csv"]).default("json"),
        }),
        response: { 200: listEnvelope(enrollmentViewSchema) },
      },
    },
    async (request, reply) => {
      const { rows, pagination } = await courseRoster(
        request.ctx,
        request.params.courseId,
        request.query,
      );
      // The roster names people to someone else: the access log, and what they keep hidden.
      for (const organizationId of new Set(rows.map((r) => r.organization_id)))
        await request.ctx.events.emit(request.ctx, "personal-data.read", {
          organizationId,
          subjectUserIds: rows
            .filter((r) => r.organization_id === organizationId)
            .map((r) => r.user_id),
          what: "roster",
          detail: `course ${request.params.courseId}${request.query.format === "csv" ? " (csv)" : ""}`,
        });
      // What the learner keeps hidden, and a restricted learner's details, are blanked once,
      // for the JSON and the CSV alike.
      const views = await viewsForViewer(request.ctx, rows, presentView);
      if (request.query.format === "csv") {
        const csv = toCsv(
          [
            "learner",
            "email",
            "status",
            "cohort",
            "enrolled_at",
            "progress_percent",
            "lessons_completed",
            "lessons_total",
            "time_spent_minutes",
            "last_activity",
            "completed_at",
            "due_at",
          ],
          views.map((v) => [
            v.learner.name,
            v.learner.email,
            v.status,
            v.cohortName,
            v.enrolledAt,
            v.progressPercent,
            v.lessonsCompleted,
            v.lessonsTotal,
            v.timeSpentSeconds === null ? null : Math.round(v.timeSpentSeconds / 60),
            v.lastAccessedAt,
            v.completedAt,
            v.dueAt,
          ]),
        );
        return reply
          .header(
            "content-disposition",
            `attachment; filename="enrollments-${request.params.courseId}.csv"`,
          )
          .type("text/csv; charset=utf-8")
          .serializer((p: unknown) => p as string)
          .send(csv as never);
      }
      return okList(views, pagination);
    },
  );

  app.get(
    "/api/v1/enrollments/:enrollmentId",
    {
      config: { access: { permission: "enrollments:read" } },
      schema: {
        tags,
        summary: "One enrollment",
        params: idParam("enrollmentId"),
        response: { 200: envelope(enrollmentSchema) },
      },
    },
    async (request) => {
      const enrollment = await visibleEnrollment(request.ctx, request.params.enrollmentId);
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: enrollment.organization_id,
        subjectUserIds: [enrollment.user_id],
        what: "enrollment",
        detail: `enrollment ${enrollment.id}`,
      });
      const privacy = await privacyForViewer(
        request.ctx,
        [enrollment.user_id],
        enrollment.organization_id,
      );
      return ok(
        withoutActivity(
          presentEnrollment(enrollment),
          privacy.hides(enrollment.user_id, "activity"),
        ),
      );
    },
  );

  for (const action of ["drop", "suspend", "reactivate", "complete"] as const) {
    app.post(
      `/api/v1/enrollments/:enrollmentId/${action}`,
      {
        config: { access: { permission: "enrollments:read" } },
        schema: {
          tags,
          summary: {
            drop: "Drop an enrollment (learners: their own, unless mandatory)",
            suspend: "Suspend an enrollment",
            reactivate: "Reactivate a suspended enrollment",
            complete: "Mark an enrollment completed",
          }[action],
          params: idParam("enrollmentId"),
          body: z.object({ reason: z.string().max(1000).nullable().optional() }).default({}),
          response: { 200: envelope(enrollmentSchema) },
        },
      },
      async (request) =>
        ok(
          presentEnrollment(
            await changeEnrollment(
              request.ctx,
              request.params.enrollmentId,
              action,
              request.body.reason,
            ),
          ),
        ),
    );
  }

  app.get(
    "/api/v1/waitlist/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "My waitlist places and offers",
        response: { 200: envelope(z.array(waitlistSchema)) },
      },
    },
    async (request) => {
      const rows = await request.ctx.db
        .selectFrom("waitlist_entries")
        .selectAll()
        .where("user_id", "=", signedInUserId(request.actor))
        .where("status", "in", ["waiting", "offered"])
        .orderBy("created_at")
        .execute();
      return ok(rows.map(presentEntry));
    },
  );

  app.get(
    "/api/v1/cohorts/:cohortId/waitlist",
    {
      config: { access: { permission: "cohorts:manage" } },
      schema: {
        tags,
        summary: "A cohort's waitlist in order",
        description: "Each place with the learner's name and address, for the people who run it.",
        params: idParam("cohortId"),
        response: { 200: envelope(z.array(cohortWaitlistSchema)) },
      },
    },
    async (request) => {
      await cohortForChange(request.ctx, request.params.cohortId);
      const rows = await request.ctx.db
        .selectFrom("waitlist_entries as w")
        .innerJoin("users as u", "u.id", "w.user_id")
        .selectAll("w")
        .select(["u.first_name", "u.last_name", "u.email"])
        .where("w.cohort_id", "=", request.params.cohortId)
        .where("w.status", "in", ["waiting", "offered"])
        .orderBy("w.position")
        .execute();
      return ok(
        rows.map((row) => ({
          ...presentEntry(row),
          learner: { name: `${row.first_name} ${row.last_name}`, email: row.email },
        })),
      );
    },
  );

  app.post(
    "/api/v1/waitlist/:entryId/accept",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Take the seat I was offered",
        params: idParam("entryId"),
        response: { 200: envelope(enrollResult) },
      },
    },
    async (request) =>
      ok(
        presentResult(
          await acceptOffer(request.ctx, request.params.entryId, signedInUserId(request.actor)),
        ),
      ),
  );

  app.post(
    "/api/v1/waitlist/:entryId/decline",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Decline the seat I was offered (it goes to the next person)",
        params: idParam("entryId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await declineOffer(request.ctx, request.params.entryId, signedInUserId(request.actor));
      return done();
    },
  );

  app.delete(
    "/api/v1/waitlist/:entryId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Leave a waitlist",
        params: idParam("entryId"),
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await leaveWaitlist(request.ctx, request.params.entryId, signedInUserId(request.actor));
      return done();
    },
  );
}
