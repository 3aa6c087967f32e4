import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { done, envelope, listEnvelope, ok, okEmpty, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { type App, idParam } from "../../platform/http/server.js";
import { authorize, widestScope } from "../../platform/policy/engine.js";
import { visibleCourse } from "../catalog/policy.js";
import { cohortForChange } from "../cohorts/cohorts.js";
import { type EnrollResult, enroll } from "./enroll.js";
import { changeEnrollment, visibleEnrollment } from "./manage.js";
import { courseRoster, type EnrollmentView, myEnrollments, toCsv } from "./queries.js";
import type { EnrollmentRow, WaitlistRow } from "./schema.js";
import { acceptOffer, declineOffer, leaveWaitlist } from "./waitlist.js";

const iso = () => z.iso.datetime({ offset: true });
const STATUSES = [
  "pending-payment",
  "active",
  "completed",
  "suspended",
  "dropped",
  "expired",
] as const;

const enrollmentSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid().nullable(),
    organizationId: z.uuid().nullable(),
    status: z.enum(STATUSES),
    source: z.string(),
    assignedBy: z.uuid().nullable(),
    dueAt: iso().nullable(),
    isMandatory: z.boolean(),
    isCompliance: z.boolean(),
    enrolledAt: iso(),
    startedAt: iso().nullable(),
    completedAt: iso().nullable(),
    droppedAt: iso().nullable(),
    accessExpiresAt: iso().nullable(),
    progressPercent: z.number(),
    timeSpentSeconds: z.number().int(),
    lastAccessedAt: iso().nullable(),
    paymentStatus: z.string(),
  })
  .meta({ id: "Enrollment" });

function presentEnrollment(e: EnrollmentRow) {
  return {
    id: e.id,
    userId: e.user_id,
    courseId: e.course_id,
    cohortId: e.cohort_id,
    organizationId: e.organization_id,
    status: e.status,
    source: e.source,
    assignedBy: e.assigned_by,
    dueAt: e.due_at?.toISOString() ?? null,
    isMandatory: e.is_mandatory,
    isCompliance: e.is_compliance,
    enrolledAt: e.enrolled_at.toISOString(),
    startedAt: e.started_at?.toISOString() ?? null,
    completedAt: e.completed_at?.toISOString() ?? null,
    droppedAt: e.dropped_at?.toISOString() ?? null,
    accessExpiresAt: e.access_expires_at?.toISOString() ?? null,
    progressPercent: Number(e.progress_percent),
    timeSpentSeconds: e.time_spent_seconds,
    lastAccessedAt: e.last_accessed_at?.toISOString() ?? null,
    paymentStatus: e.payment_status,
  };
}

const enrollmentViewSchema = enrollmentSchema
  .extend({
    learner: z.object({ name: z.string(), email: z.string() }),
    course: z.object({ title: z.string(), code: z.string(), slug: z.string() }),
    cohortName: z.string().nullable(),
  })
  .meta({ id: "EnrollmentView" });

function presentView(e: EnrollmentView) {
  return {
    ...presentEnrollment(e),
    learner: { name: `${e.first_name} ${e.last_name}`, email: e.email },
    course: { title: e.course_title, code: e.course_code, slug: e.course_slug },
    cohortName: e.cohort_name,
  };
}

const waitlistSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    courseId: z.uuid(),
    cohortId: z.uuid(),
    position: z.number().int(),
    status: z.enum(["waiting", "offered", "enrolled", "expired", "declined", "cancelled"]),
    offeredAt: iso().nullable(),
    offerExpiresAt: iso().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "WaitlistEntry" });

function presentEntry(w: WaitlistRow) {
  return {
    id: w.id,
    userId: w.user_id,
    courseId: w.course_id,
    cohortId: w.cohort_id,
    position: w.position,
    status: w.status,
    offeredAt: w.offered_at?.toISOString() ?? null,
    offerExpiresAt: w.offer_expires_at?.toISOString() ?? null,
    createdAt: w.created_at.toISOString(),
  };
}

const enrollResult = z.object({
  result: z.enum(["enrolled", "waitlisted"]),
  enrollment: enrollmentSchema.optional(),
  waitlistEntry: waitlistSchema.optional(),
});

function presentResult(r: EnrollResult) {
  return r.kind === "enrolled"
    ? { result: "enrolled" as const, enrollment: presentEnrollment(r.enrollment) }
    : { result: "waitlisted" as const, waitlistEntry: presentEntry(r.entry) };
}

function userOf(request: FastifyRequest): string {
  if (request.actor.kind !== "user")
    throw new AppError("FORBIDDEN", "Only people enroll themselves");
  return request.actor.userId;
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
          courseId: z.uuid(),
          cohortId: z.uuid().optional(),
          waitlist: z.boolean().default(true),
        }),
        response: { 201: envelope(enrollResult) },
      },
    },
    async (request, reply) => {
      const userId = userOf(request);
      const course = await request.ctx.db
        .selectFrom("courses")
        .select(["enrollment_type"])
        .where("id", "=", request.body.courseId)
        .executeTakeFirst();
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
          "Enrolls each member (up to 200) in a course the organization can see, with an optional due date and mandatory or compliance flags; managers reach their teams, department administrators their departments. Results per person.",
        params: z.object({ organizationId: z.uuid() }),
        body: z.object({
          userIds: z.array(z.uuid()).min(1).max(200),
          courseId: z.uuid(),
          cohortId: z.uuid().optional(),
          dueAt: iso().optional(),
          isMandatory: z.boolean().default(false),
          isCompliance: z.boolean().default(false),
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
          const result = await enroll(ctx, {
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
            waitlist: true,
          });
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
      const { rows, pagination } = await myEnrollments(request.ctx, userOf(request), request.query);
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
          cohortId: z.uuid().optional(),
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
        .where("user_id", "=", userOf(request))
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
      ok(presentResult(await acceptOffer(request.ctx, request.params.entryId, userOf(request)))),
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
      await declineOffer(request.ctx, request.params.entryId, userOf(request));
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
      await leaveWaitlist(request.ctx, request.params.entryId, userOf(request));
      return done();
    },
  );
}
