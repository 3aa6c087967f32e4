import { z } from "zod";
import {
  done,
  envelope,
  isoDateTime as iso,
  listEnvelope,
  ok,
  okEmpty,
  okList,
} from "../../platform/http/envelope.js";
import { pageQuery, queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { ref } from "../../platform/references.js";
import { evaluateCompliance } from "./evaluate.js";
import { sendComplianceReminders } from "./reminders.js";
import {
  assertOrganizationAccess,
  createExemption,
  createRequirement,
  createRule,
  deleteRequirement,
  deleteRule,
  type ExemptionView,
  listExemptions,
  listRequirements,
  listRules,
  revokeExemption,
  updateRequirement,
  updateRule,
  visibleRequirement,
} from "./requirements.js";
import {
  AUDIT_FREQUENCIES,
  COMPLIANCE_TYPES,
  type ComplianceAssignmentRow,
  type ExemptionRow,
  REMINDER_KINDS,
  type RequirementRow,
  RULE_SCOPES,
  RULE_TRIGGERS,
  type RuleRow,
} from "./schema.js";
import {
  assignmentHistory,
  COMPLIANCE_STATUSES,
  complianceSummary,
  DUE_SOON_DAYS,
  listStatus,
  type StatusRow,
} from "./status.js";

const tags = ["Compliance"];
const at = (d: Date | null) => d?.toISOString() ?? null;
const day = () => z.iso.date();

const requirementSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    code: z.string().nullable(),
    description: z.string().nullable(),
    complianceType: z.enum(COMPLIANCE_TYPES),
    jurisdiction: z.string(),
    requirements: z.string().nullable(),
    certificationRequirements: z.string().nullable(),
    auditFrequency: z.enum(AUDIT_FREQUENCIES),
    retentionDays: z.number().int().nullable(),
    isActive: z.boolean(),
    courseId: z.uuid(),
    dueDays: z.number().int(),
    recurrenceMonths: z.number().int().nullable(),
    recertificationWindowDays: z.number().int(),
    reminderOffsetsDays: z.array(z.number().int()),
    overdueReminderDays: z.number().int(),
    managerEscalationDays: z.number().int().nullable(),
    officerEscalationDays: z.number().int().nullable(),
    complianceOfficerUserId: z.uuid().nullable(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "ComplianceRequirement" });

function presentRequirement(r: RequirementRow) {
  return {
    id: r.id,
    organizationId: r.organization_id,
    name: r.name,
    code: r.code,
    description: r.description,
    complianceType: r.compliance_type,
    jurisdiction: r.jurisdiction,
    requirements: r.requirements,
    certificationRequirements: r.certification_requirements,
    auditFrequency: r.audit_frequency,
    retentionDays: r.retention_days,
    isActive: r.is_active,
    courseId: r.course_id,
    dueDays: r.due_days,
    recurrenceMonths: r.recurrence_months,
    recertificationWindowDays: r.recertification_window_days,
    reminderOffsetsDays: r.reminder_offsets_days.map(Number),
    overdueReminderDays: r.overdue_reminder_days,
    managerEscalationDays: r.manager_escalation_days,
    officerEscalationDays: r.officer_escalation_days,
    complianceOfficerUserId: r.compliance_officer_user_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const requirementBody = z.object({
  name: z.string().trim().min(1).max(200),
  code: z.string().max(50).nullable().optional(),
  description: z.string().max(5000).nullable().optional(),
  complianceType: z.enum(COMPLIANCE_TYPES).optional(),
  jurisdiction: z.string().trim().min(1).max(100),
  requirements: z.string().max(20000).nullable().optional(),
  certificationRequirements: z.string().max(20000).nullable().optional(),
  auditFrequency: z.enum(AUDIT_FREQUENCIES).optional(),
  retentionDays: z.number().int().min(1).max(36500).nullable().optional(),
  isActive: z.boolean().optional(),
  courseId: ref("course").describe("The course that meets the requirement"),
  dueDays: z.number().int().min(0).max(3650).optional().describe("Days after the rule's trigger"),
  recurrenceMonths: z
    .number()
    .int()
    .min(1)
    .max(120)
    .nullable()
    .optional()
    .describe("How long a completion counts; null: once is enough"),
  recertificationWindowDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .describe("How many days before expiry the next cycle opens"),
  reminderOffsetsDays: z
    .array(z.number().int().min(1).max(365))
    .max(10)
    .optional()
    .describe("Days before the due date a reminder goes out"),
  overdueReminderDays: z.number().int().min(1).max(365).optional(),
  managerEscalationDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .nullable()
    .optional()
    .describe("Days overdue before the person's manager is told; null: never"),
  officerEscalationDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .nullable()
    .optional()
    .describe("Days overdue before the compliance officer is told; null: never"),
  complianceOfficerUserId: ref("user").nullable().optional(),
});

const ruleSchema = z
  .object({
    id: z.uuid(),
    requirementId: z.uuid(),
    scope: z.enum(RULE_SCOPES),
    departmentId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    roleKey: z.string().nullable(),
    location: z.string().nullable(),
    hiredFrom: day().nullable(),
    hiredTo: day().nullable(),
    trigger: z.enum(RULE_TRIGGERS),
    fixedDate: day().nullable(),
    isActive: z.boolean(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "ComplianceRule" });

function presentRule(r: RuleRow) {
  return {
    id: r.id,
    requirementId: r.requirement_id,
    scope: r.scope,
    departmentId: r.department_id,
    teamId: r.team_id,
    roleKey: r.role_key,
    location: r.location,
    hiredFrom: r.hired_from,
    hiredTo: r.hired_to,
    trigger: r.trigger,
    fixedDate: r.fixed_date,
    isActive: r.is_active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const ruleBody = z.object({
  scope: z.enum(RULE_SCOPES),
  departmentId: ref("department").nullable().optional(),
  teamId: ref("team").nullable().optional(),
  roleKey: z.string().max(60).nullable().optional(),
  location: z.string().max(200).nullable().optional(),
  hiredFrom: day().nullable().optional(),
  hiredTo: day().nullable().optional(),
  trigger: z
    .enum(RULE_TRIGGERS)
    .optional()
    .describe("What the due date counts from (default hire-date; join date when none is known)"),
  fixedDate: day().nullable().optional(),
  isActive: z.boolean().optional(),
});

const exemptionSchema = z
  .object({
    id: z.uuid(),
    requirementId: z.uuid(),
    userId: z.uuid(),
    reason: z.string(),
    approvedBy: z.uuid().nullable(),
    expiresAt: iso().nullable(),
    revokedAt: iso().nullable(),
    revokedBy: z.uuid().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "ComplianceExemption" });

function presentExemption(x: ExemptionRow) {
  return {
    id: x.id,
    requirementId: x.requirement_id,
    userId: x.user_id,
    reason: x.reason,
    approvedBy: x.approved_by,
    expiresAt: at(x.expires_at),
    revokedAt: at(x.revoked_at),
    revokedBy: x.revoked_by,
    createdAt: x.created_at.toISOString(),
  };
}

const exemptionViewSchema = exemptionSchema
  .extend({
    requirementName: z.string(),
    personName: z.string(),
    approverName: z.string().nullable(),
  })
  .meta({ id: "ComplianceExemptionView" });

function presentExemptionView(x: ExemptionView) {
  return {
    ...presentExemption(x),
    requirementName: x.requirement_name,
    personName: x.person_name,
    approverName: x.approver_name,
  };
}

const statusSchema = z
  .object({
    requirementId: z.uuid(),
    requirementName: z.string(),
    course: z.object({ id: z.uuid(), title: z.string() }),
    person: z.object({ id: z.uuid(), name: z.string(), email: z.string() }),
    department: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    status: z.enum(COMPLIANCE_STATUSES),
    assignmentId: z.uuid().nullable(),
    cycle: z.number().int().nullable(),
    assignedAt: iso().nullable(),
    dueAt: iso().nullable(),
    completedAt: iso().nullable(),
    expiresAt: iso().nullable(),
    certificateId: z.uuid().nullable(),
    enrollmentId: z.uuid().nullable(),
    progressPercent: z.number(),
    exemption: z
      .object({
        id: z.uuid(),
        reason: z.string(),
        approvedBy: z.uuid().nullable(),
        approverName: z.string().nullable(),
        expiresAt: iso().nullable(),
      })
      .nullable(),
  })
  .meta({ id: "ComplianceStatus" });

function presentStatus(r: StatusRow) {
  return {
    requirementId: r.requirement_id,
    requirementName: r.requirement_name,
    course: { id: r.course_id, title: r.course_title },
    person: { id: r.user_id, name: `${r.first_name} ${r.last_name}`, email: r.email },
    department:
      r.department_id && r.department_name
        ? { id: r.department_id, name: r.department_name }
        : null,
    status: r.status,
    assignmentId: r.assignment_id,
    cycle: r.cycle,
    assignedAt: at(r.assigned_at),
    dueAt: at(r.due_at),
    completedAt: at(r.completed_at),
    expiresAt: at(r.expires_at),
    certificateId: r.certificate_id,
    enrollmentId: r.enrollment_id,
    progressPercent: r.progress_percent,
    exemption: r.exemption_id
      ? {
          id: r.exemption_id,
          reason: r.exemption_reason as string,
          approvedBy: r.exemption_approved_by,
          approverName: r.exemption_approver_name,
          expiresAt: at(r.exemption_expires_at),
        }
      : null,
  };
}

const summarySchema = z
  .object({
    id: z
      .uuid()
      .nullable()
      .describe("The requirement or department; null: people without a department"),
    name: z.string().nullable(),
    counts: z.object(
      Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, z.number().int()])) as Record<
        (typeof COMPLIANCE_STATUSES)[number],
        z.ZodNumber
      >,
    ),
    total: z.number().int(),
    score: z.number().nullable().describe("Percent compliant among those not exempt"),
    violations: z.number().int().describe("Overdue and expired"),
  })
  .meta({ id: "ComplianceSummary" });

const reminderSchema = z.object({
  id: z.uuid(),
  kind: z.enum(REMINDER_KINDS),
  window: z.string(),
  recipientUserId: z.uuid().nullable(),
  sentAt: iso(),
});

const assignmentSchema = z
  .object({
    id: z.uuid(),
    requirementId: z.uuid(),
    requirementName: z.string(),
    person: z.object({ id: z.uuid(), name: z.string() }),
    ruleId: z.uuid().nullable(),
    enrollmentId: z.uuid().nullable(),
    cycle: z.number().int(),
    previousAssignmentId: z.uuid().nullable(),
    status: z.enum(["open", "completed", "out-of-scope"]),
    assignedAt: iso(),
    dueAt: iso(),
    completedAt: iso().nullable(),
    certificateId: z.uuid().nullable(),
    expiresAt: iso().nullable(),
    outOfScopeAt: iso().nullable(),
    reminders: z.array(reminderSchema),
  })
  .meta({ id: "ComplianceAssignment" });

type HistoryRow = Awaited<ReturnType<typeof assignmentHistory>>["rows"][number];
function presentAssignment(a: HistoryRow) {
  const row = a as ComplianceAssignmentRow & HistoryRow;
  return {
    id: row.id,
    requirementId: row.requirement_id,
    requirementName: row.requirement_name,
    person: { id: row.user_id, name: `${row.first_name} ${row.last_name}` },
    ruleId: row.rule_id,
    enrollmentId: row.enrollment_id,
    cycle: row.cycle,
    previousAssignmentId: row.previous_assignment_id,
    status: row.status,
    assignedAt: row.assigned_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    completedAt: at(row.completed_at),
    certificateId: row.certificate_id,
    expiresAt: at(row.expires_at),
    outOfScopeAt: at(row.out_of_scope_at),
    reminders: row.reminders.map((r) => ({
      id: r.id,
      kind: r.kind,
      window: r.reminder_window,
      recipientUserId: r.recipient_user_id,
      sentAt: r.sent_at.toISOString(),
    })),
  };
}

const resultSchema = z.object({
  assigned: z.number().int(),
  recertifications: z.number().int(),
  outOfScope: z.number().int(),
  completedOnAssignment: z.number().int(),
  reminders: z.object({
    dueSoon: z.number().int(),
    overdue: z.number().int(),
    escalatedToManager: z.number().int(),
    escalatedToOfficer: z.number().int(),
  }),
});

/** Required training: requirements, rules, exemptions, status and evaluation (issue 16 §1). */
export async function complianceRoutes(app: App): Promise<void> {
  const read = { permission: "compliance:read" } as const;
  const manage = { permission: "compliance:manage" } as const;
  const org = z.object({ organizationId: z.uuid() });

  app.get(
    "/api/v1/organizations/:organizationId/compliance/requirements",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The organization's compliance requirements",
        params: org,
        querystring: z.object({ isActive: queryFlag().optional() }),
        response: { 200: envelope(z.array(requirementSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listRequirements(request.ctx, request.params.organizationId, request.query)).map(
          presentRequirement,
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/compliance/requirements",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Create a compliance requirement",
        description:
          "A regulation or policy (seed 004 compliance configuration) and the course that meets it: due days after a rule's trigger, recurrence for recertification, reminder offsets, escalation delays and the compliance officer. Nobody is assigned until a rule names who must meet it. Audited.",
        params: org,
        body: requirementBody.strict(),
        response: { 201: envelope(requirementSchema) },
      },
    },
    async (request, reply) => {
      const row = await createRequirement(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentRequirement(row));
    },
  );

  const requirementParams = idParam("requirementId");
  app.get(
    "/api/v1/compliance-requirements/:requirementId",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A compliance requirement",
        params: requirementParams,
        response: { 200: envelope(requirementSchema) },
      },
    },
    async (request) =>
      ok(presentRequirement(await visibleRequirement(request.ctx, request.params.requirementId))),
  );

  app.patch(
    "/api/v1/compliance-requirements/:requirementId",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Change a compliance requirement",
        description:
          "Changes apply from the next evaluation; open assignments keep their due dates. Deactivating stops new assignments and reminders and keeps everything recorded. Audited.",
        params: requirementParams,
        body: requirementBody.partial().strict(),
        response: { 200: envelope(requirementSchema) },
      },
    },
    async (request) =>
      ok(
        presentRequirement(
          await updateRequirement(request.ctx, request.params.requirementId, request.body),
        ),
      ),
  );

  app.delete(
    "/api/v1/compliance-requirements/:requirementId",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Delete a compliance requirement nobody was assigned",
        description:
          "A requirement with assignments answers CONFLICT: deactivate it instead, so its history stays. Audited.",
        params: requirementParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteRequirement(request.ctx, request.params.requirementId);
      return done();
    },
  );

  app.get(
    "/api/v1/compliance-requirements/:requirementId/rules",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The rules that say who must meet a requirement",
        params: requirementParams,
        response: { 200: envelope(z.array(ruleSchema)) },
      },
    },
    async (request) =>
      ok((await listRules(request.ctx, request.params.requirementId)).map(presentRule)),
  );

  app.post(
    "/api/v1/compliance-requirements/:requirementId/rules",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Add a rule to a requirement",
        description:
          "Who must meet the requirement — everyone, a department, a team, the holders of a role, a location or a hire date range — and what the due date counts from: the hire date (the join date when none is recorded), the join date, or a fixed date. People the rule reaches are assigned on the next evaluation (daily, on membership changes, or POST …/compliance/evaluate). Audited.",
        params: requirementParams,
        body: ruleBody.strict(),
        response: { 201: envelope(ruleSchema) },
      },
    },
    async (request, reply) => {
      const row = await createRule(request.ctx, request.params.requirementId, request.body);
      reply.code(201);
      return ok(presentRule(row));
    },
  );

  const ruleParams = idParam("ruleId");
  app.patch(
    "/api/v1/compliance-rules/:ruleId",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Change a compliance rule",
        params: ruleParams,
        body: ruleBody.partial().strict(),
        response: { 200: envelope(ruleSchema) },
      },
    },
    async (request) =>
      ok(presentRule(await updateRule(request.ctx, request.params.ruleId, request.body))),
  );

  app.delete(
    "/api/v1/compliance-rules/:ruleId",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Delete a compliance rule",
        description:
          "People only this rule reached are marked out of scope on the next evaluation; their assignments and enrollments stay. Audited.",
        params: ruleParams,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteRule(request.ctx, request.params.ruleId);
      return done();
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/exemptions",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Exemptions from compliance requirements",
        params: org,
        querystring: z.object({
          requirementId: ref("compliance-requirement").optional(),
          userId: ref("user").optional(),
          active: queryFlag().optional().describe("Only exemptions in force (or only those not)"),
        }),
        response: { 200: envelope(z.array(exemptionViewSchema)) },
      },
    },
    async (request) =>
      ok(
        (await listExemptions(request.ctx, request.params.organizationId, request.query)).map(
          presentExemptionView,
        ),
      ),
  );

  app.post(
    "/api/v1/organizations/:organizationId/compliance/exemptions",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Exempt a person from a requirement",
        description:
          "With a reason, approved by the caller, optionally until a date. The person shows as exempt and is not assigned or reminded while it holds. Audited.",
        params: org,
        body: z
          .object({
            requirementId: ref("compliance-requirement"),
            userId: ref("user"),
            reason: z.string().trim().min(1).max(2000),
            expiresAt: iso().nullable().optional(),
          })
          .strict(),
        response: { 201: envelope(exemptionSchema) },
      },
    },
    async (request, reply) => {
      const row = await createExemption(request.ctx, request.params.organizationId, request.body);
      reply.code(201);
      return ok(presentExemption(row));
    },
  );

  app.post(
    "/api/v1/compliance-exemptions/:exemptionId/revoke",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Revoke an exemption",
        description: "The person is assigned again on the next evaluation. Audited.",
        params: idParam("exemptionId"),
        body: z.object({}).strict(),
        response: { 200: envelope(exemptionSchema) },
      },
    },
    async (request) =>
      ok(presentExemption(await revokeExemption(request.ctx, request.params.exemptionId))),
  );

  app.post(
    "/api/v1/organizations/:organizationId/compliance/evaluate",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Evaluate the organization's rules and send due reminders now",
        description:
          "What the daily evaluation and the hourly reminder round do, for this organization, at once: people in scope without an open assignment are assigned, people out of scope marked, recertifications opened, then due reminders and escalations sent (never twice in one window).",
        params: org,
        body: z.object({}).strict(),
        response: { 200: envelope(resultSchema) },
      },
    },
    async (request) => {
      const { organizationId } = request.params;
      await assertOrganizationAccess(request.ctx, organizationId, "compliance:manage");
      const result = await evaluateCompliance(request.ctx, organizationId);
      const reminders = await sendComplianceReminders(request.ctx, organizationId);
      return ok({ ...result, reminders });
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/status",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Each person's standing on each requirement",
        description: `compliant, due-soon (within ${DUE_SOON_DAYS} days), overdue, expired (certification ran out), exempt (with reason and approver), in-progress or not-started. People who left a requirement's scope are not listed; their history is under …/compliance/assignments.`,
        params: org,
        querystring: pageQuery(["requirement"], { limit: 50 }).extend({
          requirementId: ref("compliance-requirement").optional(),
          departmentId: ref("department").optional(),
          userId: ref("user").optional(),
          status: z.enum(COMPLIANCE_STATUSES).optional(),
        }),
        response: { 200: listEnvelope(statusSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listStatus(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: request.params.organizationId,
        subjectUserIds: rows.map((r) => r.user_id),
        what: "compliance-status",
      });
      return okList(rows.map(presentStatus), pagination);
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/summary",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Compliance per requirement or per department: counts, score and violations",
        params: org,
        querystring: z.object({
          by: z.enum(["requirement", "department"]).default("requirement"),
          requirementId: ref("compliance-requirement").optional(),
          departmentId: ref("department").optional(),
        }),
        response: { 200: envelope(z.array(summarySchema)) },
      },
    },
    async (request) => {
      const { by, ...filters } = request.query;
      const rows = await complianceSummary(request.ctx, request.params.organizationId, by, filters);
      return ok(rows.map(({ key, ...rest }) => ({ id: key, ...rest })));
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/compliance/assignments",
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Compliance assignments with their certification chain and reminders",
        description:
          "Every cycle of every person's obligation, including those out of scope, oldest cycle first per person; previousAssignmentId links a recertification to the cycle before. Each carries the reminders and escalations sent for it.",
        params: org,
        querystring: pageQuery(["requirement"], { limit: 50 }).extend({
          requirementId: ref("compliance-requirement").optional(),
          userId: ref("user").optional(),
        }),
        response: { 200: listEnvelope(assignmentSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await assignmentHistory(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      await request.ctx.events.emit(request.ctx, "personal-data.read", {
        organizationId: request.params.organizationId,
        subjectUserIds: rows.map((r) => r.user_id),
        what: "compliance-assignments",
      });
      return okList(rows.map(presentAssignment), pagination);
    },
  );
}
