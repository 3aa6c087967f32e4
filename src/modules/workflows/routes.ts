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
import { AppError } from "../../platform/http/errors.js";
import { pageQuery, queryFlag } from "../../platform/http/pagination.js";
import { type App, idParam } from "../../platform/http/server.js";
import { holds } from "../../platform/policy/engine.js";
import { ref } from "../../platform/references.js";
import { requestExemption } from "./builtins.js";
import {
  createDefinition,
  definitionVersions,
  deleteDefinition,
  listDefinitions,
  openExecutionCounts,
  updateDefinition,
  visibleDefinition,
  WORKFLOW_ABILITY,
} from "./definitions.js";
import {
  approvalSchema,
  describeExecution,
  describeExecutions,
  executionAbilities,
  executionListItemSchema,
  executionViewSchema,
} from "./describe.js";
import { cancelExecution, decide, startExecution } from "./engine.js";
import {
  approvalsForMe,
  executionHistory,
  listExecutions,
  visibleExecution,
} from "./executions.js";
import {
  definitionListItemSchema,
  definitionSchema,
  executionSchema,
  presentDefinition,
  presentEvent,
  presentExecution,
  presentVersion,
  versionSchema,
} from "./presenter.js";
import { previewSchedule } from "./schedule.js";
import { EXECUTION_STATUSES } from "./schema.js";
import { stepSchema, TRIGGER_EVENT_NAMES, TRIGGER_EVENTS } from "./steps.js";

const triggerSchema = z
  .object({
    type: z.enum(["event", "schedule", "manual"]),
    event: z
      .enum(TRIGGER_EVENT_NAMES as [string, ...string[]])
      .nullable()
      .optional()
      .describe("The domain event that starts the workflow (type event)"),
    everyHours: z
      .number()
      .int()
      .min(1)
      .max(8760)
      .nullable()
      .optional()
      .describe("How often the workflow starts, in hours (type schedule; or cron)"),
    cron: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .describe(
        "When the workflow starts: a cron expression (croner syntax, seconds optional) read in the organization's time zone, at most hourly (type schedule; or everyHours)",
      ),
  })
  .strict()
  .meta({ id: "WorkflowTrigger" });

const fields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable(),
  trigger: triggerSchema,
  steps: z.array(stepSchema).min(1).max(50),
  enabled: z.boolean(),
};

const decisionBody = z.object({ note: z.string().trim().max(2000).nullable().optional() }).strict();

/** Workflows with approvals (issue 16 §3, docs/workflows.md). */
export async function workflowRoutes(app: App): Promise<void> {
  const tags = ["Workflows"];
  const access = { permission: WORKFLOW_ABILITY } as const;
  const org = idParam("organizationId");
  const params = idParam("workflowId");
  const executionParams = idParam("workflowExecutionId");

  app.get(
    "/api/v1/workflow-trigger-events",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "The domain events a workflow can start on, with their fields",
        response: {
          200: envelope(
            z.array(
              z.object({ type: z.string(), description: z.string(), fields: z.array(z.string()) }),
            ),
          ),
        },
      },
    },
    async () =>
      ok(
        TRIGGER_EVENT_NAMES.map((type) => ({
          type,
          description: TRIGGER_EVENTS[type].description,
          fields: [...TRIGGER_EVENTS[type].fields],
        })),
      ),
  );

  app.get(
    "/api/v1/organizations/:organizationId/workflows",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's workflows, the built-in approvals included",
        params: org,
        querystring: pageQuery(["name", "createdAt"], { sort: "name" }).extend({
          enabled: queryFlag().optional(),
          builtin: queryFlag()
            .optional()
            .describe("Only the built-in approvals (or only the others)"),
        }),
        response: { 200: listEnvelope(definitionListItemSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listDefinitions(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      const open = await openExecutionCounts(
        request.ctx,
        rows.map((r) => r.id),
      );
      return okList(
        rows.map((r) => ({ ...presentDefinition(r), openExecutions: open.get(r.id) ?? 0 })),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/workflow-schedule-preview",
    {
      config: { access },
      schema: {
        tags,
        summary: "When a cron schedule would start workflows",
        description:
          "The next five starts of a cron expression read in the organization's time zone, or the VALIDATION_ERROR a schedule trigger with it would get (field trigger.cron).",
        params: org,
        querystring: z.object({ cron: z.string().trim().min(1).max(200) }),
        response: {
          200: envelope(
            z.object({
              timezone: z.string().describe("The organization's time zone"),
              runs: z.array(iso()),
            }),
          ),
        },
      },
    },
    async (request) => {
      const preview = await previewSchedule(
        request.ctx,
        request.params.organizationId,
        request.query.cron,
      );
      return ok({ timezone: preview.timezone, runs: preview.runs.map((d) => d.toISOString()) });
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/workflows",
    {
      config: { access },
      schema: {
        tags,
        summary: "Define a workflow",
        description:
          "A trigger (a domain event, a schedule, or started by hand) and steps: approval, notification, assignment, wait, condition. Errors name the step. Audited.",
        params: org,
        body: z.object(fields).partial({ description: true, enabled: true }).strict(),
        response: { 201: envelope(definitionSchema) },
      },
    },
    async (request, reply) => {
      const row = await createDefinition(request.ctx, request.params.organizationId, {
        ...request.body,
        trigger: request.body.trigger as never,
      });
      reply.code(201);
      return ok(presentDefinition(row));
    },
  );

  app.get(
    "/api/v1/workflows/:workflowId",
    {
      config: { access },
      schema: {
        tags,
        summary: "One workflow",
        params,
        response: { 200: envelope(definitionSchema) },
      },
    },
    async (request) =>
      ok(presentDefinition(await visibleDefinition(request.ctx, request.params.workflowId))),
  );

  app.get(
    "/api/v1/workflows/:workflowId/versions",
    {
      config: { access },
      schema: {
        tags,
        summary: "Every version of a workflow, newest first",
        params,
        response: { 200: envelope(z.array(versionSchema)) },
      },
    },
    async (request) => {
      const definition = await visibleDefinition(request.ctx, request.params.workflowId);
      return ok((await definitionVersions(request.ctx, definition)).map(presentVersion));
    },
  );

  app.patch(
    "/api/v1/workflows/:workflowId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Change a workflow",
        description:
          "A change of the name, trigger or steps makes a new version; running executions keep theirs. Built-in approvals keep their trigger and their one approval step. Audited.",
        params,
        body: z.object(fields).partial().strict(),
        response: { 200: envelope(definitionSchema) },
      },
    },
    async (request) =>
      ok(
        presentDefinition(
          await updateDefinition(request.ctx, request.params.workflowId, {
            ...request.body,
            trigger: request.body.trigger as never,
          }),
        ),
      ),
  );

  app.delete(
    "/api/v1/workflows/:workflowId",
    {
      config: { access },
      schema: {
        tags,
        summary: "Delete a workflow that never ran",
        description: "One with executions is turned off instead, so its history stays. Audited.",
        params,
        response: { 200: okEmpty },
      },
    },
    async (request) => {
      await deleteDefinition(request.ctx, request.params.workflowId);
      return done();
    },
  );

  app.post(
    "/api/v1/workflows/:workflowId/executions",
    {
      config: { access },
      schema: {
        tags,
        summary: "Start a workflow by hand",
        description: "Optionally about a person of the organization. Audited.",
        params,
        body: z.object({ subjectUserId: ref("user").nullable().optional() }).strict(),
        response: { 201: envelope(executionSchema) },
      },
    },
    async (request, reply) => {
      const definition = await visibleDefinition(request.ctx, request.params.workflowId);
      if (definition.builtin)
        throw new AppError("CONFLICT", "A built-in approval starts from its own requests");
      if (!definition.is_enabled) throw new AppError("CONFLICT", "The workflow is turned off");
      const execution = await startExecution(
        request.ctx,
        definition,
        { trigger: "manual", subjectUserId: request.body.subjectUserId ?? null },
        { advance: true },
      );
      reply.code(201);
      return ok(
        presentExecution({ ...execution, definition_name: definition.name, builtin: null }),
      );
    },
  );

  app.get(
    "/api/v1/organizations/:organizationId/workflow-executions",
    {
      config: { access },
      schema: {
        tags,
        summary: "The organization's workflow executions",
        description:
          "Newest first; by workflow, status, or what they are about (`subjectId`: the person, or the course, requirement or request).",
        params: org,
        querystring: pageQuery(["startedAt", "updatedAt"], { sort: "-startedAt" }).extend({
          definitionId: ref("workflow").optional(),
          status: z.enum(EXECUTION_STATUSES).optional(),
          subjectId: z
            .uuid()
            .optional()
            .describe("The person an execution is about, or the object it is about"),
        }),
        response: { 200: listEnvelope(executionListItemSchema) },
      },
    },
    async (request) => {
      const { rows, pagination } = await listExecutions(
        request.ctx,
        request.params.organizationId,
        request.query,
      );
      return okList(
        rows.map((row) => ({ ...presentExecution(row), subjectName: row.subject_name })),
        pagination,
      );
    },
  );

  app.get(
    "/api/v1/workflow-approvals/mine",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Approvals waiting for the caller's decision",
        description: "Oldest first, each with what is asked and whom it is about.",
        response: { 200: envelope(z.array(approvalSchema)) },
      },
    },
    async (request) => {
      const described = await describeExecutions(request.ctx, await approvalsForMe(request.ctx));
      return ok(
        described.map(({ row, summary, subjectName }) => ({
          ...presentExecution(row),
          summary,
          subjectName,
        })),
      );
    },
  );

  app.get(
    "/api/v1/workflow-executions/:workflowExecutionId",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "One execution with its full history",
        description:
          "For the organization's workflow managers, the person it is about, who started it, and whoever may decide its approval now.",
        params: executionParams,
        response: { 200: envelope(executionViewSchema) },
      },
    },
    async (request) => {
      const execution = await visibleExecution(request.ctx, request.params.workflowExecutionId);
      const history = await executionHistory(request.ctx, execution.id);
      const { summary, subjectName } = await describeExecution(request.ctx, execution);
      return ok({
        ...presentExecution(execution),
        summary,
        subjectName,
        abilities: await executionAbilities(request.ctx, execution),
        history: history.map(presentEvent),
      });
    },
  );

  for (const decision of ["approve", "reject"] as const)
    app.post(
      `/api/v1/workflow-executions/:workflowExecutionId/${decision}`,
      {
        config: { access: { user: true } },
        schema: {
          tags,
          summary:
            decision === "approve" ? "Approve the step an execution waits for" : "Decline it",
          description:
            decision === "approve"
              ? "Only an approver of the step: a holder of its role in the organization, the person's manager, or the person named; never the person it is about. The execution goes on with its next steps. Audited."
              : "Only an approver of the step. The execution ends rejected and the requester is told. Audited.",
          params: executionParams,
          body: decisionBody,
          response: { 200: envelope(executionSchema) },
        },
      },
      async (request) => {
        const visible = await visibleExecution(request.ctx, request.params.workflowExecutionId);
        const after = await decide(request.ctx, visible.id, decision, request.body.note ?? null);
        return ok(
          presentExecution({
            ...after,
            definition_name: visible.definition_name,
            builtin: visible.builtin,
          }),
        );
      },
    );

  app.post(
    "/api/v1/workflow-executions/:workflowExecutionId/cancel",
    {
      config: { access },
      schema: {
        tags,
        summary: "Cancel an execution that has not ended",
        description: "For the organization's workflow managers. Audited.",
        params: executionParams,
        body: decisionBody,
        response: { 200: envelope(executionSchema) },
      },
    },
    async (request) => {
      const visible = await visibleExecution(request.ctx, request.params.workflowExecutionId);
      if (!holds(await request.ctx.actor.access(), WORKFLOW_ABILITY, visible.organization_id))
        throw new AppError("NOT_FOUND", "Workflow execution not found");
      const after = await cancelExecution(request.ctx, visible.id, request.body.note ?? null);
      return ok(
        presentExecution({
          ...after,
          definition_name: visible.definition_name,
          builtin: visible.builtin,
        }),
      );
    },
  );

  app.post(
    "/api/v1/organizations/:organizationId/compliance/exemption-requests",
    {
      config: { access: { user: true } },
      schema: {
        tags,
        summary: "Ask for an exemption from a compliance requirement",
        description:
          "A compliance officer's request exempts at once. Anyone else — the person, or their manager — starts the organization's exemption approval; the exemption is recorded when it is approved. Audited.",
        params: org,
        body: z
          .object({
            requirementId: ref("compliance-requirement"),
            userId: ref("user"),
            reason: z.string().trim().min(1).max(2000),
            expiresAt: iso().nullable().optional(),
          })
          .strict(),
        response: {
          201: envelope(
            z
              .object({
                status: z.enum(["exempted", "pending"]),
                exemptionId: z.uuid().nullable(),
                execution: executionSchema.nullable(),
              })
              .meta({ id: "ExemptionRequestResult" }),
          ),
        },
      },
    },
    async (request, reply) => {
      const result = await requestExemption(
        request.ctx,
        request.params.organizationId,
        request.body,
      );
      reply.code(201);
      return ok(
        result.kind === "exempted"
          ? { status: "exempted" as const, exemptionId: result.exemption.id, execution: null }
          : {
              status: "pending" as const,
              exemptionId: null,
              execution: presentExecution(result.execution),
            },
      );
    },
  );
}
