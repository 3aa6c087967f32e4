import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { can } from "../../platform/policy/engine.js";
import { courseTeam, visibleCourse } from "../catalog/policy.js";
import { notify } from "../notifications/notify.js";
import { type EnrollResult, enroll } from "./enroll.js";
import { enrollmentTarget } from "./manage.js";
import { reachableLearners } from "./queries.js";
import type { EnrollmentRequestRow, RequestStatus } from "./schema.js";

/**
 * Approval-based enrollment (seed 002 enrollment_requests): a learner asks, the course's
 * instructor (or an organization's approver, for its own people) approves or rejects; an
 * approval enrolls through the one enroll path (waitlisting when the cohort is full).
 *
 * A request within an organization runs as the organization's enrollment approval workflow
 * (docs/workflows.md) when it has it turned on: the workflow asks its approvers, escalates
 * and times out, and keeps the history; a decision taken here is recorded on it, and one taken
 * there decides the request through `decideRequest`.
 */

/** The organization's approval workflow for requests (src/modules/workflows), handed over at wiring time. */
export interface RequestApproval {
  /** Starts the workflow for a new request; false when it does not take it (turned off, nobody to ask). */
  start(
    ctx: Ctx,
    request: EnrollmentRequestRow,
    course: { id: string; title: string },
  ): Promise<boolean>;
  /** Whether the person is an approver the request's workflow waits for now. */
  mayDecide(ctx: Ctx, request: EnrollmentRequestRow, userId: string): Promise<boolean>;
  /** A decision (or the learner's withdrawal) taken here, recorded on the workflow. */
  decided(
    ctx: Ctx,
    request: EnrollmentRequestRow,
    decision: "approve" | "reject" | "withdraw",
    notes: string | null,
  ): Promise<void>;
}
let approval: RequestApproval | null = null;

export function provideRequestApproval(workflow: RequestApproval): void {
  approval = workflow;
}

async function courseForRequest(ctx: Ctx, courseId: string, cohortId?: string | null) {
  const course = await visibleCourse(ctx, courseId);
  if (course.status !== "published" || course.deleted_at)
    throw new AppError("ENROLLMENT_CLOSED", "The course is not open for enrollment");
  if (course.enrollment_type !== "approval")
    throw new AppError(
      "ENROLLMENT_CLOSED",
      `This course takes enrollments by ${course.enrollment_type}, not by request`,
      { details: { enrollmentType: course.enrollment_type } },
    );
  let organizationId = course.organization_id;
  if (cohortId) {
    const cohort = await ctx.db
      .selectFrom("cohorts")
      .select(["id", "organization_id", "status"])
      .where("id", "=", cohortId)
      .where("course_id", "=", course.id)
      .executeTakeFirst();
    if (!cohort) throw new AppError("NOT_FOUND", "Cohort not found", { field: "cohortId" });
    organizationId ??= cohort.organization_id;
  } else if (course.delivery === "cohort-based") {
    throw new AppError("COHORT_REQUIRED", "Choose a cohort of this course", { field: "cohortId" });
  }
  return { course, organizationId };
}

export async function requestEnrollment(
  ctx: Ctx,
  userId: string,
  input: { courseId: string; cohortId?: string | null; reason?: string | null },
): Promise<EnrollmentRequestRow> {
  const { course, organizationId } = await courseForRequest(ctx, input.courseId, input.cohortId);
  return inTransaction(ctx, async (tx) => {
    const enrolled = await tx.db
      .selectFrom("enrollments")
      .select(["id", "status"])
      .where("user_id", "=", userId)
      .where("course_id", "=", course.id)
      .where("status", "in", ["pending-payment", "active", "completed", "suspended"])
      .executeTakeFirst();
    if (enrolled)
      throw new AppError("ALREADY_ENROLLED", "Already enrolled in this course", {
        details: { enrollmentId: enrolled.id, status: enrolled.status },
      });
    const now = tx.clock.now();
    let request: EnrollmentRequestRow;
    try {
      request = await tx.db
        .insertInto("enrollment_requests")
        .values({
          user_id: userId,
          course_id: course.id,
          cohort_id: input.cohortId ?? null,
          organization_id: organizationId,
          reason: input.reason ?? null,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("ALREADY_REQUESTED", "Your request to join is waiting for review");
      throw error;
    }
    await audit(tx, {
      organizationId,
      action: "enrollment-request.create",
      entityType: "enrollment-request",
      entityId: request.id,
      after: { course_id: course.id, cohort_id: request.cohort_id },
    });
    if (approval && (await approval.start(tx, request, course))) return request;
    const requester = await tx.db
      .selectFrom("users")
      .select(["first_name", "last_name"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const team = await courseTeam(tx, course);
    await notify(tx, {
      userId: team.instructorId,
      organizationId,
      type: "enrollment-requested",
      variables: {
        requesterName: `${requester.first_name} ${requester.last_name}`,
        courseTitle: course.title,
        reason: input.reason ?? null,
      },
      data: { requestId: request.id, courseId: course.id },
      actionPath: `/courses/${course.id}/requests`,
    });
    return request;
  });
}

/** Loads a request the actor may review (`enrollments:approve` over its learner), or NOT_FOUND. */
async function reviewableRequest(ctx: Ctx, requestId: string): Promise<EnrollmentRequestRow> {
  const request = await ctx.db
    .selectFrom("enrollment_requests")
    .selectAll()
    .where("id", "=", requestId)
    .executeTakeFirst();
  if (!request) throw new AppError("NOT_FOUND", "Enrollment request not found");
  const access = await ctx.actor.access();
  const target = await enrollmentTarget(ctx, request);
  if (!can(access, "enrollments:approve", target)) {
    // whoever the request's workflow asked (a manager, a role the organization chose)
    const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
    if (userId && approval && (await approval.mayDecide(ctx, request, userId))) return request;
    if (can(access, "enrollments:read", target))
      throw new AppError("FORBIDDEN", "You may not review this request (enrollments:approve)");
    throw new AppError("NOT_FOUND", "Enrollment request not found");
  }
  return request;
}

export interface ReviewResult {
  request: EnrollmentRequestRow;
  enrollment: EnrollResult | null;
}

/**
 * Approves (enrolling the learner) or rejects a pending request as someone who may review it,
 * and records the decision on the request's workflow.
 */
export async function reviewRequest(
  ctx: Ctx,
  requestId: string,
  decision: "approve" | "reject",
  notes?: string | null,
): Promise<ReviewResult> {
  await reviewableRequest(ctx, requestId);
  return inTransaction(ctx, async (tx) => {
    const result = await decideRequest(tx, requestId, decision, notes);
    await approval?.decided(tx, result.request, decision, notes ?? null);
    return result;
  });
}

/**
 * Approves (enrolling the learner) or rejects a pending request and tells the learner; the
 * caller has settled who may (a reviewer here, an approver of the request's workflow).
 */
export async function decideRequest(
  ctx: Ctx,
  requestId: string,
  decision: "approve" | "reject",
  notes?: string | null,
): Promise<ReviewResult> {
  return inTransaction(ctx, async (tx) => {
    const request = await tx.db
      .selectFrom("enrollment_requests")
      .selectAll()
      .where("id", "=", requestId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (request.status !== "pending")
      throw new AppError("REQUEST_NOT_PENDING", `This request was already ${request.status}`);
    const course = await tx.db
      .selectFrom("courses")
      .select(["id", "title"])
      .where("id", "=", request.course_id)
      .executeTakeFirstOrThrow();
    const now = tx.clock.now();
    const enrollment =
      decision === "approve"
        ? await enroll(tx, {
            userId: request.user_id,
            courseId: request.course_id,
            cohortId: request.cohort_id,
            organizationId: request.organization_id,
            source: "approval",
            assignedBy: tx.actor.kind === "user" ? tx.actor.userId : null,
            waitlist: true,
          })
        : null;
    const status: RequestStatus = decision === "approve" ? "approved" : "rejected";
    const updated = await tx.db
      .updateTable("enrollment_requests")
      .set({
        status,
        reviewed_by: tx.actor.kind === "user" ? tx.actor.userId : null,
        reviewed_at: now,
        review_notes: notes ?? null,
        enrollment_id: enrollment?.kind === "enrolled" ? enrollment.enrollment.id : null,
      })
      .where("id", "=", requestId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: request.organization_id,
      action: `enrollment-request.${decision}`,
      entityType: "enrollment-request",
      entityId: requestId,
      before: { status: "pending" },
      after: { status, ...(notes ? { review_notes: notes } : {}) },
    });
    const waitlisted = enrollment?.kind === "waitlisted";
    await notify(tx, {
      userId: request.user_id,
      organizationId: request.organization_id,
      type: decision === "approve" ? "enrollment-accepted" : "enrollment-rejected",
      variables: {
        courseTitle: course.title,
        waitlistPosition: waitlisted ? enrollment.entry.position : null,
        notes: decision === "approve" ? null : (notes ?? null),
      },
      data: { requestId, courseId: course.id },
      actionPath: `/courses/${course.id}`,
    });
    return { request: updated, enrollment };
  });
}

/** A learner withdraws their own pending request. */
export async function withdrawRequest(
  ctx: Ctx,
  requestId: string,
  userId: string,
): Promise<EnrollmentRequestRow> {
  return inTransaction(ctx, async (tx) => {
    const request = await tx.db
      .selectFrom("enrollment_requests")
      .selectAll()
      .where("id", "=", requestId)
      .where("user_id", "=", userId)
      .forUpdate()
      .executeTakeFirst();
    if (!request) throw new AppError("NOT_FOUND", "Enrollment request not found");
    if (request.status !== "pending")
      throw new AppError("REQUEST_NOT_PENDING", `This request was already ${request.status}`);
    const updated = await tx.db
      .updateTable("enrollment_requests")
      .set({ status: "withdrawn" })
      .where("id", "=", requestId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: request.organization_id,
      action: "enrollment-request.withdraw",
      entityType: "enrollment-request",
      entityId: requestId,
      before: { status: "pending" },
      after: { status: "withdrawn" },
    });
    await approval?.decided(tx, updated, "withdraw", null);
    return updated;
  });
}

export type RequestView = EnrollmentRequestRow & {
  first_name: string;
  last_name: string;
  email: string;
  course_title: string;
};

/**
 * A course's requests for its reviewers: the course team sees all; organization approvers the
 * requests of the people they reach.
 */
export async function courseRequests(
  ctx: Ctx,
  courseId: string,
  query: { page: number; limit: number; status?: RequestStatus },
) {
  const course = await visibleCourse(ctx, courseId);
  const access = await ctx.actor.access();
  const team = await courseTeam(ctx, course);
  const whole = can(access, "enrollments:approve", {
    organizationId: course.organization_id,
    assigneeIds: [team.instructorId, ...team.staff],
  });
  let q = ctx.db
    .selectFrom("enrollment_requests as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .innerJoin("courses as c", "c.id", "r.course_id")
    .selectAll("r")
    .select(["u.first_name", "u.last_name", "u.email", "c.title as course_title"])
    .where("r.course_id", "=", course.id);
  if (!whole) {
    const { organizations, learners } = await reachableLearners(ctx, access, "enrollments:approve");
    if (!organizations.length && !learners.length)
      throw new AppError("FORBIDDEN", "You may not review this course's requests");
    q = q.where((eb) =>
      eb.or([
        ...(organizations.length ? [eb("r.organization_id", "in", organizations)] : []),
        ...(learners.length ? [eb("r.user_id", "in", learners)] : []),
        eb.val(false),
      ]),
    );
  }
  if (query.status) q = q.where("r.status", "=", query.status);
  return paginate(q, query, { column: "r.created_at", direction: "asc" }, "r.id");
}

export async function myRequests(ctx: Ctx, userId: string) {
  return ctx.db
    .selectFrom("enrollment_requests as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .innerJoin("courses as c", "c.id", "r.course_id")
    .selectAll("r")
    .select(["u.first_name", "u.last_name", "u.email", "c.title as course_title"])
    .where("r.user_id", "=", userId)
    .orderBy("r.created_at", "desc")
    .limit(200)
    .execute();
}
