import { z } from "zod";
import { signedInUserId } from "../../platform/auth/actor.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { toCsv } from "../../platform/csv.js";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { authorize, widestScope } from "../../platform/policy/engine.js";
import { ref } from "../../platform/references.js";
import { visibleCourse } from "../catalog/policy.js";
import { cohortForChange } from "../cohorts/cohorts.js";
import { notify } from "../notifications/notify.js";
import { enroll } from "./enroll.js";
import { changeEnrollment, visibleEnrollment } from "./manage.js";
import {
  enrollmentSchema,
  enrollmentViewSchema,
  enrollResult,
  iso,
  presentEnrollment,
  presentEntry,
  presentResult,
  presentView,
  STATUSES,
  waitlistSchema,
} from "./present.js";
import { courseRoster, myEnrollments } from "./queries.js";
import type { EnrollmentRow } from "./schema.js";
import { takeAllocationSeat } from "./seats.js";
import { acceptOffer, declineOffer, leaveWaitlist } from "./waitlist.js";

async function notifyAssigned(ctx: Ctx, enrollment: EnrollmentRow, courseTitle: string) {
  const due = enrollment.due_at ? ` Complete it by ${enrollment.due_at.toUTCString()}.` : "";
  await notify(ctx, {
    userId: enrollment.user_id,
    organizationId: enrollment.organization_id,
    type: "enrollment-assigned",
    title: `New training: ${courseTitle}`,
    body: `${enrollment.is_compliance ? "Compliance training" : enrollment.is_mandatory ? "Mandatory training" : "Training"} was assigned to you.${due}`,
    data: { enrollmentId: enrollment.id, courseId: enrollment.course_id },
    priority: enrollment.is_compliance || enrollment.is_mandatory ? "high" : "normal",
    actionPath: `/courses/${enrollment.course_id}`,
  });
}

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

  app.post(
    "/api/v1/organizations/:organizationId/enrollments",
    {
      config: { access: { permission: "enrollments:create" } },
      schema: {
        tags,
        summary: "Assign training to members",
        description:
          "Enrolls each member (up to 200) in a course the organization can see, with an optional due date and mandatory or compliance flags; managers reach their teams, department administrators their departments. Paid courses use the seats the organization bought in them (`SEATS_EXHAUSTED` when none is left). Results per person.",
        params: z.object({ organizationId: z.uuid() }),
        body: z.object({
          userIds: z.array(ref("user")).min(1).max(200),
          courseId: ref("course"),
          cohortId: ref("cohort").optional(),
          dueAt: iso().optional(),
          isMandatory: z.boolean().default(false),
          isCompliance: z.boolean().default(false),
          accessExpiresAt: iso()
            .optional()
            .describe("When access ends (self-paced courses; cohorts follow the cohort's dates)"),
        }),
        response: {
          200: envelope(
            z.array(
              z.object({
                userId: z.uuid(),
                result: z.enum(["enrolled", "waitlisted", "refused"]),
                enrollmentId: z.uuid().optional(),
                error: z.object({ code: z.string(), message: z.string() }).optional(),
              }),
            ),
          ),
        },
      },
    },
    async (request) => {
      const ctx = request.ctx;
      const { organizationId } = request.params;
      const course = await visibleCourse(ctx, request.body.courseId);
      if (course.organization_id && course.organization_id !== organizationId)
        throw new AppError("NOT_FOUND", "Course not found", { field: "courseId" });
      const access = await ctx.actor.access();
      const results = [];
      for (const userId of request.body.userIds) {
        try {
          const member = await ctx.db
            .selectFrom("organization_members")
            .select("department_id")
            .where("organization_id", "=", organizationId)
            .where("user_id", "=", userId)
            .executeTakeFirst();
          if (!member) throw new AppError("NOT_FOUND", "Not a member of this organization");
          const teams = await ctx.db
            .selectFrom("team_members")
            .select("team_id")
            .where("organization_id", "=", organizationId)
            .where("user_id", "=", userId)
            .execute();
          authorize(access, "enrollments:create", {
            organizationId,
            ownerId: userId,
            departmentId: member.department_id,
            teamIds: teams.map((t) => t.team_id),
          });
          const paid = course.enrollment_type === "paid" && course.price_amount > 0;
          const result = await inTransaction(ctx, async (tx) =>
            enroll(tx, {
              seatAllocationId: paid
                ? await takeAllocationSeat(tx, organizationId, course.id)
                : null,
              accessExpiresAt: request.body.accessExpiresAt
                ? new Date(request.body.accessExpiresAt)
                : null,
              userId,
              courseId: course.id,
              cohortId: request.body.cohortId,
              organizationId,
              source: request.body.isCompliance
                ? "compliance"
                : widestScope(access, "enrollments:create", organizationId) === "team"
                  ? "manager"
                  : "admin",
              assignedBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
              dueAt: request.body.dueAt ? new Date(request.body.dueAt) : null,
              isMandatory: request.body.isMandatory,
              isCompliance: request.body.isCompliance,
              waitlist: !paid,
            }),
          );
          if (result.kind === "enrolled")
            await notifyAssigned(ctx, result.enrollment, course.title);
          results.push({
            userId,
            result: result.kind === "enrolled" ? ("enrolled" as const) : ("waitlisted" as const),
            ...(result.kind === "enrolled" ? { enrollmentId: result.enrollment.id } : {}),
          });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({
            userId,
            result: "refused" as const,
            error: { code: error.code, message: error.message },
          });
        }
      }
      return ok(results);
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
          rows.map((r) => [
            `${r.first_name} ${r.last_name}`,
            r.email,
            r.status,
            r.cohort_name,
            r.enrolled_at.toISOString(),
            Number(r.progress_percent),
            r.lessons_completed,
            r.lessons_total,
            Math.round(r.time_spent_seconds / 60),
            r.last_accessed_at?.toISOString() ?? null,
            r.completed_at?.toISOString() ?? null,
            r.due_at?.toISOString() ?? null,
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
      return okList(rows.map(presentView), pagination);
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
    async (request) =>
      ok(presentEnrollment(await visibleEnrollment(request.ctx, request.params.enrollmentId))),
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
        params: idParam("cohortId"),
        response: { 200: envelope(z.array(waitlistSchema)) },
      },
    },
    async (request) => {
      await cohortForChange(request.ctx, request.params.cohortId);
      const rows = await request.ctx.db
        .selectFrom("waitlist_entries")
        .selectAll()
        .where("cohort_id", "=", request.params.cohortId)
        .where("status", "in", ["waiting", "offered"])
        .orderBy("position")
        .execute();
      return ok(rows.map(presentEntry));
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
