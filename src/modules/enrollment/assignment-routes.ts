import { z } from "zod";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { envelope, listEnvelope, ok, okList } from "../../platform/http/envelope.js";
import { AppError } from "../../platform/http/errors.js";
import { pageQuery, queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { authorize, widestScope } from "../../platform/policy/engine.js";
import { ref } from "../../platform/references.js";
import { restrictedPeople } from "../access/learner-privacy.js";
import { visibleCourse } from "../catalog/policy.js";
import { notify } from "../notifications/notify.js";
import {
  ASSIGNMENT_SORTS,
  DUE_SOON_DAYS,
  isOverdue,
  type OrganizationEnrollmentRow,
  organizationEnrollments,
  updateAssignment,
} from "./assignments.js";
import { enroll } from "./enroll.js";
import {
  enrollmentSchema,
  enrollmentViewSchema,
  iso,
  presentEnrollment,
  presentView,
  STATUSES,
} from "./present.js";
import type { EnrollmentRow } from "./schema.js";
import { takeAllocationSeat } from "./seats.js";
import { viewsForViewer } from "./view-privacy.js";

async function notifyAssigned(ctx: Ctx, enrollment: EnrollmentRow, courseTitle: string) {
  await notify(ctx, {
    userId: enrollment.user_id,
    organizationId: enrollment.organization_id,
    type: "enrollment-assigned",
    variables: {
      courseTitle,
      compliance: enrollment.is_compliance,
      mandatory: enrollment.is_mandatory,
      dueAt: enrollment.due_at?.toUTCString() ?? null,
    },
    data: { enrollmentId: enrollment.id, courseId: enrollment.course_id },
    priority: enrollment.is_compliance || enrollment.is_mandatory ? "high" : "normal",
    actionPath: `/courses/${enrollment.course_id}`,
  });
}

const assignmentSchema = enrollmentViewSchema
  .extend({
    overdue: z.boolean().describe("Past its due date and neither completed nor withdrawn"),
    department: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  })
  .meta({ id: "Assignment" });

function presentAssignment(row: OrganizationEnrollmentRow, now: Date) {
  return {
    ...presentView(row),
    overdue: isOverdue(row, now),
    department:
      row.department_id && row.department_name
        ? { id: row.department_id, name: row.department_name }
        : null,
  };
}

/** Assigning training and following it up (seed 002 §Enrollment, seed 004 assignments). */
export async function assignmentRoutes(app: App): Promise<void> {
  const tags = ["Enrollments"];

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
      // A person whose processing is restricted gets no new training (docs/privacy.md).
      const restricted = await restrictedPeople(ctx, request.body.userIds, organizationId);
      const results = [];
      for (const userId of request.body.userIds) {
        try {
          if (restricted.has(userId))
            throw new AppError(
              "CONFLICT",
              "This person's data may not be processed (a restriction is in force): no training can be assigned",
            );
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
    "/api/v1/organizations/:organizationId/enrollments",
    {
      config: { access: { permission: "enrollments:read" } },
      schema: {
        tags,
        summary: "The organization's assignments and enrollments",
        description: `Enrollments that belong to the organization, with the learner's department and whether each is overdue. Organization-wide readers see everyone; department administrators their departments, managers the teams they lead. \`due=overdue\` lists open enrollments past their due date, \`due=due-soon\` those due within ${DUE_SOON_DAYS} days.`,
        params: z.object({ organizationId: z.uuid() }),
        querystring: pageQuery(ASSIGNMENT_SORTS, { sort: "dueAt", limit: 25 }).extend({
          status: z.enum(STATUSES).optional(),
          courseId: ref("course").optional(),
          userId: ref("user").optional(),
          departmentId: ref("department").optional(),
          teamId: ref("team").optional(),
          required: z
            .enum(["mandatory", "compliance", "either"])
            .optional()
            .describe("Only mandatory, only compliance, or either"),
          due: z.enum(["overdue", "due-soon", "dated", "undated"]).optional(),
          assigned: queryFlag()
            .optional()
            .describe("Only enrollments an administrator, manager or compliance rule made"),
          search: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .optional()
            .describe("Matches the learner's name or email, or the course title"),
        }),
        response: { 200: listEnvelope(assignmentSchema) },
      },
    },
    async (request) => {
      const { rows, pagination, now } = await organizationEnrollments(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const views = await viewsForViewer(request.ctx, rows, (row) => presentAssignment(row, now));
      // A restricted learner's department is theirs too (docs/privacy.md).
      return okList(
        views.map((v) => (v.restricted ? { ...v, department: null } : v)),
        pagination,
      );
    },
  );

  app.patch(
    "/api/v1/enrollments/:enrollmentId",
    {
      config: { access: { permission: "enrollments:manage" } },
      schema: {
        tags,
        summary: "Change an assignment's due date or flags",
        description:
          "Needs `enrollments:manage` over the learner. `dueAt: null` removes the due date. Dropped and expired enrollments cannot be changed.",
        params: idParam("enrollmentId"),
        body: z
          .object({
            dueAt: iso().nullable(),
            isMandatory: z.boolean(),
            isCompliance: z.boolean(),
          })
          .partial()
          .strict(),
        response: { 200: envelope(enrollmentSchema) },
      },
    },
    async (request) =>
      ok(
        presentEnrollment(
          await updateAssignment(request.ctx, request.params.enrollmentId, request.body),
        ),
      ),
  );
}
