import { z } from "zod";
import { isoDateTime as iso } from "../../platform/http/envelope.js";
import type { ExecutionListRow } from "./executions.js";
import {
  BUILTINS,
  type DefinitionRow,
  type DefinitionVersionRow,
  EXECUTION_STATUSES,
  type ExecutionEventRow,
  TRIGGER_TYPES,
} from "./schema.js";
import { stepSchema } from "./steps.js";

const triggerOut = z.object({
  type: z.enum(TRIGGER_TYPES),
  event: z.string().nullable(),
  everyHours: z.number().int().nullable(),
  cron: z.string().nullable().describe("A cron expression read in the organization's time zone"),
});

/** A definition's or version's trigger columns, as the API shows them. */
function presentTrigger(
  row: Pick<
    DefinitionVersionRow,
    "trigger_type" | "trigger_event" | "schedule_every_hours" | "schedule_cron"
  >,
) {
  return {
    type: row.trigger_type,
    event: row.trigger_event,
    everyHours: row.schedule_every_hours,
    cron: row.schedule_cron,
  };
}

export const definitionSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    builtin: z.enum(BUILTINS).nullable(),
    trigger: triggerOut,
    nextRunAt: iso().nullable(),
    steps: z.array(stepSchema),
    version: z.number().int(),
    enabled: z.boolean(),
    createdAt: iso(),
    updatedAt: iso(),
  })
  .meta({ id: "Workflow" });

export const definitionListItemSchema = definitionSchema
  .extend({
    openExecutions: z
      .number()
      .int()
      .describe("Executions still running, waiting or awaiting an approval"),
  })
  .meta({ id: "WorkflowListItem" });

export function presentDefinition(row: DefinitionRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    description: row.description,
    builtin: row.builtin,
    trigger: presentTrigger(row),
    nextRunAt: row.next_run_at?.toISOString() ?? null,
    steps: row.steps,
    version: row.version,
    enabled: row.is_enabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const versionSchema = z
  .object({
    version: z.number().int(),
    name: z.string(),
    trigger: triggerOut,
    steps: z.array(stepSchema),
    createdBy: z.uuid().nullable(),
    createdAt: iso(),
  })
  .meta({ id: "WorkflowVersion" });

export function presentVersion(row: DefinitionVersionRow) {
  return {
    version: row.version,
    name: row.name,
    trigger: presentTrigger(row),
    steps: row.steps,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

export const executionSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    workflowId: z.uuid(),
    workflowName: z.string(),
    builtin: z.enum(BUILTINS).nullable(),
    version: z.number().int(),
    status: z.enum(EXECUTION_STATUSES),
    currentStep: z.number().int().describe("The step it is at, counted from 0"),
    subjectUserId: z.uuid().nullable(),
    subjectType: z.string().nullable(),
    subjectId: z.uuid().nullable(),
    trigger: z.string(),
    context: z.record(z.string(), z.unknown()),
    dueAt: iso().nullable().describe("When the current wait ends or the approval times out"),
    escalationLevel: z.number().int(),
    startedBy: z.uuid().nullable(),
    startedAt: iso(),
    finishedAt: iso().nullable(),
  })
  .meta({ id: "WorkflowExecution" });

export function presentExecution(row: ExecutionListRow) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    workflowId: row.definition_id,
    workflowName: row.definition_name,
    builtin: row.builtin as (typeof BUILTINS)[number] | null,
    version: row.version,
    status: row.status,
    currentStep: row.current_step,
    subjectUserId: row.subject_user_id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    trigger: row.trigger,
    context: row.context,
    dueAt: row.due_at?.toISOString() ?? null,
    escalationLevel: row.escalation_level,
    startedBy: row.started_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export const executionEventSchema = z
  .object({
    step: z.number().int().nullable(),
    stepType: z.string().nullable(),
    action: z.string(),
    actorId: z.uuid().nullable(),
    actorName: z.string().nullable(),
    note: z.string().nullable(),
    at: iso(),
  })
  .meta({ id: "WorkflowExecutionEvent" });

export function presentEvent(row: ExecutionEventRow & { actor_name: string | null }) {
  return {
    step: row.step,
    stepType: row.step_type,
    action: row.action,
    actorId: row.actor_id,
    actorName: row.actor_name,
    note: row.note,
    at: row.at.toISOString(),
  };
}

export const executionDetailSchema = executionSchema
  .extend({ history: z.array(executionEventSchema) })
  .meta({ id: "WorkflowExecutionDetail" });
