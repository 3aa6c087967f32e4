import { sql } from "kysely";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { holds } from "../../platform/policy/engine.js";
import type {
  AuditFrequency,
  ComplianceType,
  ExemptionRow,
  RequirementRow,
  RuleRow,
  RuleScope,
  RuleTrigger,
} from "./schema.js";

/**
 * Compliance requirements (seed 004 13.4.6: what a regulation demands and which course
 * satisfies it), the rules that say who must meet them, and the people excused from them.
 * Reading needs `compliance:read`, changing `compliance:manage` in the organization; an
 * object of another organization answers NOT_FOUND, as one that does not exist.
 */

type Ability = "compliance:read" | "compliance:manage";

async function assertHolds(ctx: Ctx, organizationId: string, ability: Ability) {
  if (!holds(await ctx.actor.access(), ability, organizationId))
    throw new AppError("FORBIDDEN", `You do not have permission to ${ability.replace(":", " ")}`, {
      details: { required: ability },
    });
}

export async function visibleRequirement(
  ctx: Ctx,
  id: string,
  ability: Ability = "compliance:read",
): Promise<RequirementRow> {
  const [row, access] = await Promise.all([
    ctx.db
      .selectFrom("compliance_requirements")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, "compliance:read", row.organization_id))
    throw new AppError("NOT_FOUND", "Compliance requirement not found");
  if (ability === "compliance:manage") await assertHolds(ctx, row.organization_id, ability);
  return row;
}

export async function assertOrganizationAccess(ctx: Ctx, organizationId: string, ability: Ability) {
  await assertHolds(ctx, organizationId, ability);
}

async function assertCourse(ctx: Ctx, organizationId: string, courseId: string) {
  const course = await ctx.db
    .selectFrom("courses")
    .select(["id", "organization_id"])
    .where("id", "=", courseId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!course || (course.organization_id !== null && course.organization_id !== organizationId))
    throw new AppError("NOT_FOUND", "Course not found", { field: "courseId" });
}

async function assertMember(ctx: Ctx, organizationId: string, userId: string, field: string) {
  const member = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!member) throw new AppError("NOT_FOUND", "Not a member of this organization", { field });
}

export interface RequirementInput {
  name: string;
  code?: string | null;
  description?: string | null;
  complianceType?: ComplianceType;
  jurisdiction: string;
  requirements?: string | null;
  certificationRequirements?: string | null;
  auditFrequency?: AuditFrequency;
  retentionDays?: number | null;
  isActive?: boolean;
  courseId: string;
  dueDays?: number;
  recurrenceMonths?: number | null;
  recertificationWindowDays?: number;
  reminderOffsetsDays?: number[];
  overdueReminderDays?: number;
  managerEscalationDays?: number | null;
  officerEscalationDays?: number | null;
  complianceOfficerUserId?: string | null;
}

function requirementColumns(input: Partial<RequirementInput>) {
  const map = {
    name: "name",
    code: "code",
    description: "description",
    complianceType: "compliance_type",
    jurisdiction: "jurisdiction",
    requirements: "requirements",
    certificationRequirements: "certification_requirements",
    auditFrequency: "audit_frequency",
    retentionDays: "retention_days",
    isActive: "is_active",
    courseId: "course_id",
    dueDays: "due_days",
    recurrenceMonths: "recurrence_months",
    recertificationWindowDays: "recertification_window_days",
    reminderOffsetsDays: "reminder_offsets_days",
    overdueReminderDays: "overdue_reminder_days",
    managerEscalationDays: "manager_escalation_days",
    officerEscalationDays: "officer_escalation_days",
    complianceOfficerUserId: "compliance_officer_user_id",
  } as const;
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const value = input[key as keyof RequirementInput];
    if (value !== undefined)
      out[column] =
        key === "reminderOffsetsDays"
          ? [...new Set(value as number[])].sort((a, b) => b - a)
          : value;
  }
  return out;
}

async function checkRequirementRefs(
  ctx: Ctx,
  organizationId: string,
  input: Partial<RequirementInput>,
) {
  if (input.courseId) await assertCourse(ctx, organizationId, input.courseId);
  if (input.complianceOfficerUserId)
    await assertMember(
      ctx,
      organizationId,
      input.complianceOfficerUserId,
      "complianceOfficerUserId",
    );
}

export async function listRequirements(
  ctx: Ctx,
  organizationId: string,
  query: { isActive?: boolean } = {},
): Promise<RequirementRow[]> {
  await assertHolds(ctx, organizationId, "compliance:read");
  let q = ctx.db
    .selectFrom("compliance_requirements")
    .selectAll()
    .where("organization_id", "=", organizationId);
  if (query.isActive !== undefined) q = q.where("is_active", "=", query.isActive);
  return q.orderBy("name").orderBy("id").execute();
}

export async function createRequirement(
  ctx: Ctx,
  organizationId: string,
  input: RequirementInput,
): Promise<RequirementRow> {
  await assertHolds(ctx, organizationId, "compliance:manage");
  await checkRequirementRefs(ctx, organizationId, input);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("compliance_requirements")
      .values({
        ...(requirementColumns(input) as { name: string; jurisdiction: string; course_id: string }),
        organization_id: organizationId,
        created_by: ctx.actor.kind === "user" ? ctx.actor.userId : null,
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "compliance-requirement.create",
      entityType: "compliance-requirement",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function updateRequirement(
  ctx: Ctx,
  id: string,
  patch: Partial<RequirementInput>,
): Promise<RequirementRow> {
  const before = await visibleRequirement(ctx, id, "compliance:manage");
  await checkRequirementRefs(ctx, before.organization_id, patch);
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("compliance_requirements")
      .set(requirementColumns(patch))
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: before.organization_id,
      action: "compliance-requirement.update",
      entityType: "compliance-requirement",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a requirement nobody was ever assigned; one with history can only be deactivated. */
export async function deleteRequirement(ctx: Ctx, id: string): Promise<void> {
  const before = await visibleRequirement(ctx, id, "compliance:manage");
  await inTransaction(ctx, async (tx) => {
    const used = await tx.db
      .selectFrom("compliance_assignments")
      .select("id")
      .where("requirement_id", "=", id)
      .limit(1)
      .executeTakeFirst();
    if (used)
      throw new AppError(
        "CONFLICT",
        "People were assigned this requirement; deactivate it instead to keep their history",
      );
    await tx.db.deleteFrom("compliance_requirements").where("id", "=", id).execute();
    await audit(tx, {
      organizationId: before.organization_id,
      action: "compliance-requirement.delete",
      entityType: "compliance-requirement",
      entityId: id,
      before,
    });
  });
}

export interface RuleInput {
  scope: RuleScope;
  departmentId?: string | null;
  teamId?: string | null;
  roleKey?: string | null;
  location?: string | null;
  hiredFrom?: string | null;
  hiredTo?: string | null;
  trigger?: RuleTrigger;
  fixedDate?: string | null;
  isActive?: boolean;
}

function ruleColumns(input: Partial<RuleInput>) {
  const map = {
    scope: "scope",
    departmentId: "department_id",
    teamId: "team_id",
    roleKey: "role_key",
    location: "location",
    hiredFrom: "hired_from",
    hiredTo: "hired_to",
    trigger: "trigger",
    fixedDate: "fixed_date",
    isActive: "is_active",
  } as const;
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(map)) {
    const value = input[key as keyof RuleInput];
    if (value !== undefined) out[column] = value;
  }
  return out;
}

/** What each scope needs, checked on the rule as it will be stored. */
function checkRuleShape(rule: {
  scope: RuleScope;
  department_id: string | null;
  team_id: string | null;
  role_key: string | null;
  location: string | null;
  hired_from: string | null;
  hired_to: string | null;
  trigger: RuleTrigger;
  fixed_date: string | null;
}) {
  const need: Partial<Record<RuleScope, [unknown, string]>> = {
    department: [rule.department_id, "departmentId"],
    team: [rule.team_id, "teamId"],
    role: [rule.role_key, "roleKey"],
    location: [rule.location, "location"],
    "hire-date": [rule.hired_from ?? rule.hired_to, "hiredFrom"],
  };
  const required = need[rule.scope];
  if (required && (required[0] === null || required[0] === undefined))
    throw new AppError("VALIDATION_ERROR", `A ${rule.scope} rule needs ${required[1]}`, {
      field: required[1],
    });
  if (rule.trigger === "fixed-date" && !rule.fixed_date)
    throw new AppError("VALIDATION_ERROR", "A fixed-date trigger needs fixedDate", {
      field: "fixedDate",
    });
  if (rule.hired_from && rule.hired_to && rule.hired_from > rule.hired_to)
    throw new AppError("VALIDATION_ERROR", "hiredFrom must not be after hiredTo", {
      field: "hiredTo",
    });
}

async function checkRuleRefs(ctx: Ctx, organizationId: string, input: Partial<RuleInput>) {
  if (input.departmentId) {
    const d = await ctx.db
      .selectFrom("departments")
      .select("id")
      .where("id", "=", input.departmentId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!d) throw new AppError("NOT_FOUND", "Department not found", { field: "departmentId" });
  }
  if (input.teamId) {
    const team = await ctx.db
      .selectFrom("teams")
      .select("id")
      .where("id", "=", input.teamId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!team) throw new AppError("NOT_FOUND", "Team not found", { field: "teamId" });
  }
  if (input.roleKey) {
    const role = await ctx.db
      .selectFrom("roles")
      .select("id")
      .where("key", "=", input.roleKey)
      .where((eb) =>
        eb.or([eb("organization_id", "is", null), eb("organization_id", "=", organizationId)]),
      )
      .executeTakeFirst();
    if (!role) throw new AppError("NOT_FOUND", "Role not found", { field: "roleKey" });
  }
}

export async function listRules(ctx: Ctx, requirementId: string): Promise<RuleRow[]> {
  await visibleRequirement(ctx, requirementId);
  return ctx.db
    .selectFrom("compliance_rules")
    .selectAll()
    .where("requirement_id", "=", requirementId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

export async function createRule(ctx: Ctx, requirementId: string, input: RuleInput) {
  const requirement = await visibleRequirement(ctx, requirementId, "compliance:manage");
  await checkRuleRefs(ctx, requirement.organization_id, input);
  const values = {
    scope: input.scope,
    department_id: input.departmentId ?? null,
    team_id: input.teamId ?? null,
    role_key: input.roleKey ?? null,
    location: input.location ?? null,
    hired_from: input.hiredFrom ?? null,
    hired_to: input.hiredTo ?? null,
    trigger: input.trigger ?? ("hire-date" as const),
    fixed_date: input.fixedDate ?? null,
  };
  checkRuleShape(values);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("compliance_rules")
      .values({
        ...values,
        is_active: input.isActive ?? true,
        organization_id: requirement.organization_id,
        requirement_id: requirementId,
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: requirement.organization_id,
      action: "compliance-rule.create",
      entityType: "compliance-rule",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

async function visibleRule(ctx: Ctx, ruleId: string): Promise<RuleRow> {
  const [row, access] = await Promise.all([
    ctx.db.selectFrom("compliance_rules").selectAll().where("id", "=", ruleId).executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, "compliance:read", row.organization_id))
    throw new AppError("NOT_FOUND", "Compliance rule not found");
  await assertHolds(ctx, row.organization_id, "compliance:manage");
  return row;
}

export async function updateRule(ctx: Ctx, ruleId: string, patch: Partial<RuleInput>) {
  const before = await visibleRule(ctx, ruleId);
  await checkRuleRefs(ctx, before.organization_id, patch);
  const columns = ruleColumns(patch);
  checkRuleShape({ ...before, ...columns } as RuleRow);
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("compliance_rules")
      .set(columns)
      .where("id", "=", ruleId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: before.organization_id,
      action: "compliance-rule.update",
      entityType: "compliance-rule",
      entityId: ruleId,
      before,
      after,
    });
    return after;
  });
}

/** Deletes a rule; the assignments it made stay (they are re-checked on the next evaluation). */
export async function deleteRule(ctx: Ctx, ruleId: string): Promise<void> {
  const before = await visibleRule(ctx, ruleId);
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("compliance_rules").where("id", "=", ruleId).execute();
    await audit(tx, {
      organizationId: before.organization_id,
      action: "compliance-rule.delete",
      entityType: "compliance-rule",
      entityId: ruleId,
      before,
    });
  });
}

export type ExemptionView = ExemptionRow & {
  requirement_name: string;
  approver_name: string | null;
  person_name: string;
};

export async function listExemptions(
  ctx: Ctx,
  organizationId: string,
  query: { requirementId?: string; userId?: string; active?: boolean },
): Promise<ExemptionView[]> {
  await assertHolds(ctx, organizationId, "compliance:read");
  const now = ctx.clock.now();
  let q = ctx.db
    .selectFrom("compliance_exemptions as x")
    .innerJoin("compliance_requirements as r", "r.id", "x.requirement_id")
    .innerJoin("users as u", "u.id", "x.user_id")
    .leftJoin("users as a", "a.id", "x.approved_by")
    .selectAll("x")
    .select([
      "r.name as requirement_name",
      sql<string>`u.first_name || ' ' || u.last_name`.as("person_name"),
      sql<string | null>`a.first_name || ' ' || a.last_name`.as("approver_name"),
    ])
    .where("x.organization_id", "=", organizationId);
  if (query.requirementId) q = q.where("x.requirement_id", "=", query.requirementId);
  if (query.userId) q = q.where("x.user_id", "=", query.userId);
  if (query.active === true)
    q = q
      .where("x.revoked_at", "is", null)
      .where((eb) => eb.or([eb("x.expires_at", "is", null), eb("x.expires_at", ">", now)]));
  if (query.active === false)
    q = q.where((eb) => eb.or([eb("x.revoked_at", "is not", null), eb("x.expires_at", "<=", now)]));
  return q.orderBy("x.created_at", "desc").orderBy("x.id").execute() as Promise<ExemptionView[]>;
}

export async function createExemption(
  ctx: Ctx,
  organizationId: string,
  input: { requirementId: string; userId: string; reason: string; expiresAt?: string | null },
): Promise<ExemptionRow> {
  const requirement = await visibleRequirement(ctx, input.requirementId, "compliance:manage");
  if (requirement.organization_id !== organizationId)
    throw new AppError("NOT_FOUND", "Compliance requirement not found", { field: "requirementId" });
  await assertMember(ctx, organizationId, input.userId, "userId");
  return recordExemption(
    ctx,
    organizationId,
    input,
    ctx.actor.kind === "user" ? ctx.actor.userId : null,
  );
}

/** Refuses (CONFLICT, with the exemption's id) when the person holds an unrevoked exemption. */
export async function assertNotExempted(
  ctx: Ctx,
  requirementId: string,
  userId: string,
): Promise<void> {
  const existing = await ctx.db
    .selectFrom("compliance_exemptions")
    .select("id")
    .where("requirement_id", "=", requirementId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (existing)
    throw new AppError("CONFLICT", "This person is already exempted from this requirement", {
      details: { exemptionId: existing.id },
    });
}

/**
 * Records an exemption approved by `approvedBy`, after the caller checked who may grant it (a
 * compliance officer here; an approval workflow's approver in modules/workflows). Audited.
 */
export async function recordExemption(
  ctx: Ctx,
  organizationId: string,
  input: { requirementId: string; userId: string; reason: string; expiresAt?: string | null },
  approvedBy: string | null,
): Promise<ExemptionRow> {
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    await assertNotExempted(tx, input.requirementId, input.userId);
    const row = await tx.db
      .insertInto("compliance_exemptions")
      .values({
        organization_id: organizationId,
        requirement_id: input.requirementId,
        user_id: input.userId,
        reason: input.reason,
        approved_by: approvedBy,
        expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "compliance-exemption.create",
      entityType: "compliance-exemption",
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

export async function revokeExemption(ctx: Ctx, exemptionId: string): Promise<ExemptionRow> {
  const [row, access] = await Promise.all([
    ctx.db
      .selectFrom("compliance_exemptions")
      .selectAll()
      .where("id", "=", exemptionId)
      .executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, "compliance:read", row.organization_id))
    throw new AppError("NOT_FOUND", "Exemption not found");
  await assertHolds(ctx, row.organization_id, "compliance:manage");
  if (row.revoked_at) throw new AppError("CONFLICT", "The exemption was already revoked");
  return inTransaction(ctx, async (tx) => {
    const after = await tx.db
      .updateTable("compliance_exemptions")
      .set({
        revoked_at: tx.clock.now(),
        revoked_by: ctx.actor.kind === "user" ? ctx.actor.userId : null,
      })
      .where("id", "=", exemptionId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId: row.organization_id,
      action: "compliance-exemption.revoke",
      entityType: "compliance-exemption",
      entityId: exemptionId,
      before: row,
      after,
    });
    return after;
  });
}
