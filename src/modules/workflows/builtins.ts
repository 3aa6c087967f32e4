import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { holds } from "../../platform/policy/engine.js";
import { publishApproved } from "../catalog/courses.js";
import type { CourseRow } from "../catalog/schema.js";
import { assertNotExempted, createExemption, recordExemption } from "../compliance/requirements.js";
import type { ExemptionRow } from "../compliance/schema.js";
import { ensureBuiltin } from "./definitions.js";
import {
  type BuiltinOutcome,
  nameOf,
  registerOutcome,
  roleHolders,
  startExecution,
} from "./engine.js";
import type { ExecutionListRow } from "./executions.js";
import { OPEN_STATUSES } from "./schema.js";

/** What an exemption request carries until it is approved. */
interface ExemptionRequest {
  requirementId: string;
  requirementName: string;
  userId: string;
  reason: string;
  expiresAt: string | null;
}

const exemptionOutcome: BuiltinOutcome = {
  async summary(ctx, execution) {
    const request = execution.context as unknown as ExemptionRequest;
    const person = (await nameOf(ctx, request.userId)) ?? "someone";
    return `Exemption of ${person} from ${request.requirementName}`;
  },
  async approved(ctx, execution) {
    const request = execution.context as unknown as ExemptionRequest;
    const approvedBy = ctx.actor.kind === "user" ? ctx.actor.userId : null;
    const row = await recordExemption(
      ctx,
      execution.organization_id,
      {
        requirementId: request.requirementId,
        userId: request.userId,
        reason: request.reason,
        expiresAt: request.expiresAt,
      },
      approvedBy,
    );
    return `Exemption ${row.id} recorded`;
  },
  async rejected() {},
};

const publicationOutcome: BuiltinOutcome = {
  async summary(ctx, execution) {
    const course = await ctx.db
      .selectFrom("courses")
      .select("title")
      .where("id", "=", execution.subject_id as string)
      .executeTakeFirst();
    return `Publication of ${course?.title ?? "a course"}`;
  },
  async approved(ctx, execution) {
    const course = await publishApproved(ctx, execution.subject_id as string);
    return `Course ${course.id} published`;
  },
  async rejected() {},
};

registerOutcome("compliance-exemption", exemptionOutcome);
registerOutcome("course-publication", publicationOutcome);

export type ExemptionRequestResult =
  | { kind: "exempted"; exemption: ExemptionRow }
  | { kind: "pending"; execution: ExecutionListRow };

/**
 * A request to exempt a person from a requirement. A compliance officer (who may manage
 * compliance) exempts at once; anyone else — the person, or their manager — starts the
 * organization's exemption approval, and the exemption is recorded once it is approved.
 */
export async function requestExemption(
  ctx: Ctx,
  organizationId: string,
  input: { requirementId: string; userId: string; reason: string; expiresAt?: string | null },
): Promise<ExemptionRequestResult> {
  const callerId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const access = await ctx.actor.access();
  if (holds(access, "compliance:manage", organizationId))
    return { kind: "exempted", exemption: await createExemption(ctx, organizationId, input) };
  if (!callerId) throw new AppError("FORBIDDEN", "Exemption requests are made by people");
  const [caller, subject, requirement] = await Promise.all([
    ctx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", callerId)
      .where("status", "=", "active")
      .executeTakeFirst(),
    ctx.db
      .selectFrom("organization_members")
      .select(["user_id", "manager_user_id"])
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", input.userId)
      .executeTakeFirst(),
    ctx.db
      .selectFrom("compliance_requirements")
      .select(["id", "name"])
      .where("id", "=", input.requirementId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst(),
  ]);
  if (!caller) throw new AppError("NOT_FOUND", "Organization not found");
  if (!subject || (subject.user_id !== callerId && subject.manager_user_id !== callerId))
    throw new AppError(
      "FORBIDDEN",
      "You may ask for an exemption for yourself or for people you manage",
      { field: "userId" },
    );
  if (!requirement)
    throw new AppError("NOT_FOUND", "Compliance requirement not found", {
      field: "requirementId",
    });
  const open = await ctx.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .select("e.id")
    .where("d.organization_id", "=", organizationId)
    .where("d.builtin", "=", "compliance-exemption")
    .where("e.subject_user_id", "=", input.userId)
    .where("e.subject_id", "=", input.requirementId)
    .where("e.status", "in", OPEN_STATUSES)
    .executeTakeFirst();
  if (open)
    throw new AppError("ALREADY_REQUESTED", "An exemption request for this person waits already", {
      details: { executionId: open.id },
    });
  await assertNotExempted(ctx, input.requirementId, input.userId);
  const definition = await ensureBuiltin(ctx, organizationId, "compliance-exemption");
  if (!definition.is_enabled)
    throw new AppError(
      "FORBIDDEN",
      "This organization takes exemptions from its compliance officers only",
    );
  const request: ExemptionRequest = {
    requirementId: requirement.id,
    requirementName: requirement.name,
    userId: input.userId,
    reason: input.reason,
    expiresAt: input.expiresAt ?? null,
  };
  const execution = await startExecution(
    ctx,
    definition,
    {
      trigger: "exemption-request",
      subjectUserId: input.userId,
      subjectType: "compliance-requirement",
      subjectId: requirement.id,
      context: { ...request },
    },
    { advance: true },
  );
  return {
    kind: "pending",
    execution: { ...execution, definition_name: definition.name, builtin: definition.builtin },
  };
}

/**
 * The publication gate (catalog): where the organization turned publication approval on and
 * the publisher is not one of its approvers, the publication waits for an approval. Answers
 * the execution's id (an existing open one is reused), or null to publish at once.
 */
export async function publicationGate(ctx: Ctx, course: CourseRow): Promise<string | null> {
  // Lyceum's own work (imports, seeds, the CLI) publishes without asking.
  if (!course.organization_id || ctx.actor.kind === "system") return null;
  const definition = await ctx.db
    .selectFrom("workflow_definitions")
    .selectAll()
    .where("organization_id", "=", course.organization_id)
    .where("builtin", "=", "course-publication")
    .where("is_enabled", "=", true)
    .executeTakeFirst();
  if (!definition) return null;
  const callerId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const approval = definition.steps.find((s) => s.type === "approval");
  if (callerId && approval) {
    const who = approval.approver;
    if (who.kind === "user" && who.userId === callerId) return null;
    // the same test as for who may approve: an active member whose grant has not expired
    if (
      who.kind === "role" &&
      (await roleHolders(ctx, course.organization_id, who.role, callerId)).length
    )
      return null;
  }
  const open = await ctx.db
    .selectFrom("workflow_executions")
    .select("id")
    .where("definition_id", "=", definition.id)
    .where("subject_id", "=", course.id)
    .where("status", "in", OPEN_STATUSES)
    .executeTakeFirst();
  if (open) return open.id;
  const execution = await startExecution(
    ctx,
    definition,
    {
      trigger: "course-publish",
      subjectUserId: callerId,
      subjectType: "course",
      subjectId: course.id,
      context: { courseId: course.id, title: course.title },
    },
    { advance: true },
  );
  return execution.id;
}
