import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { decideRequest, type RequestApproval } from "../enrollment/requests.js";
import type { EnrollmentRequestRow } from "../enrollment/schema.js";
import { notifyAll } from "../notifications/notify.js";
import { ensureBuiltin } from "./definitions.js";
import {
  type BuiltinOutcome,
  cancelExecution,
  mayDecide,
  nameOf,
  recordDecision,
  registerOutcome,
  startExecution,
} from "./engine.js";
import type { ExecutionRow } from "./schema.js";
import { OPEN_STATUSES } from "./schema.js";

/** What an enrollment approval's execution carries. */
interface RequestContext {
  requestId: string;
  courseId: string;
  courseTitle: string;
  cohortId: string | null;
  reason: string | null;
}

const contextOf = (execution: ExecutionRow) => execution.context as unknown as RequestContext;

async function requestOf(ctx: Ctx, execution: ExecutionRow): Promise<EnrollmentRequestRow> {
  const row = await ctx.db
    .selectFrom("enrollment_requests")
    .selectAll()
    .where("id", "=", contextOf(execution).requestId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Enrollment request not found");
  return row;
}

/**
 * The enrollment approval built-in: an approval enrolls the learner (or puts them on the
 * cohort's waitlist), a rejection or timeout declines the request; the learner is told by the
 * request's own notices. A course's team is asked with the request notice that leads to the
 * course's requests, where they decide as before.
 */
const enrollmentOutcome: BuiltinOutcome = {
  tellsRequester: true,
  async summary(ctx, execution) {
    const person = (await nameOf(ctx, execution.subject_user_id)) ?? "someone";
    return `Enrollment of ${person} in ${contextOf(execution).courseTitle}`;
  },
  async ask(ctx, execution, approverIds, who) {
    if (who.kind !== "course-team" || !approverIds.length) return [];
    const request = contextOf(execution);
    await notifyAll(ctx, {
      userIds: approverIds,
      organizationId: execution.organization_id,
      type: "enrollment-requested",
      variables: {
        requesterName: (await nameOf(ctx, execution.subject_user_id)) ?? "",
        courseTitle: request.courseTitle,
        reason: request.reason,
      },
      data: { requestId: request.requestId, courseId: request.courseId, executionId: execution.id },
      actionPath: `/courses/${request.courseId}/requests`,
    });
    return approverIds;
  },
  async approved(ctx, execution) {
    const request = await requestOf(ctx, execution);
    // decided on the course's requests, which recorded it here
    if (request.status === "approved") return "Approved on the course's enrollment requests";
    if (request.status !== "pending")
      throw new AppError("REQUEST_NOT_PENDING", `The request was already ${request.status}`);
    const { enrollment } = await decideRequest(ctx, request.id, "approve");
    return enrollment?.kind === "waitlisted"
      ? `On the waitlist at position ${enrollment.entry.position}`
      : "Enrolled";
  },
  async rejected(ctx, execution, note) {
    const request = await requestOf(ctx, execution);
    if (request.status === "pending") await decideRequest(ctx, request.id, "reject", note);
  },
  // Approved, but the enrollment was refused (the course archived or full meanwhile, a
  // prerequisite missing): the request is declined with the reason, which tells the learner.
  async failed(ctx, execution, reason) {
    const request = await requestOf(ctx, execution);
    if (request.status === "pending")
      await decideRequest(
        ctx,
        request.id,
        "reject",
        `Approved, but the enrollment could not be made: ${reason}`,
      );
  },
};

registerOutcome("enrollment-approval", enrollmentOutcome);

async function openExecution(
  ctx: Ctx,
  request: EnrollmentRequestRow,
): Promise<ExecutionRow | undefined> {
  if (!request.organization_id) return undefined;
  return ctx.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .selectAll("e")
    .where("d.organization_id", "=", request.organization_id)
    .where("d.builtin", "=", "enrollment-approval")
    .where("e.subject_type", "=", "enrollment-request")
    .where("e.subject_id", "=", request.id)
    .where("e.status", "in", OPEN_STATUSES)
    .executeTakeFirst();
}

/** Requests within an organization run as its enrollment approval workflow (when turned on). */
export const enrollmentApproval: RequestApproval = {
  async start(ctx, request, course) {
    if (!request.organization_id) return false;
    const definition = await ensureBuiltin(ctx, request.organization_id, "enrollment-approval");
    if (!definition.is_enabled) return false;
    const context: RequestContext = {
      requestId: request.id,
      courseId: course.id,
      courseTitle: course.title,
      cohortId: request.cohort_id,
      reason: request.reason,
    };
    const execution = await startExecution(
      ctx,
      definition,
      {
        trigger: "enrollment-request",
        subjectUserId: request.user_id,
        subjectType: "enrollment-request",
        subjectId: request.id,
        context: { ...context },
      },
      { advance: true },
    );
    // nobody to ask (no course team, nobody to escalate to): the request's reviewers decide
    return execution.status === "awaiting-approval";
  },
  async mayDecide(ctx, request, userId) {
    const execution = await openExecution(ctx, request);
    return !!execution && (await mayDecide(ctx, execution, userId));
  },
  async decided(ctx, request, decision, notes) {
    const execution = await openExecution(ctx, request);
    if (!execution) return;
    if (decision === "withdraw")
      await cancelExecution(ctx, execution.id, "Withdrawn by the person who asked");
    else await recordDecision(ctx, execution.id, decision, notes);
  },
};
