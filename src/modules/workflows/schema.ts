import type { Generated, Selectable } from "kysely";
import type { CreatedAt, Json, JsonDefault, Timestamp } from "../../db/columns.js";
import type { Step } from "./steps.js";

/** Row types of migrations/20261207000600_workflows.sql. */

export const BUILTINS = [
  "compliance-exemption",
  "course-publication",
  "enrollment-approval",
] as const;
export type Builtin = (typeof BUILTINS)[number];
export const TRIGGER_TYPES = ["event", "schedule", "manual"] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
export const EXECUTION_STATUSES = [
  "running",
  "waiting",
  "awaiting-approval",
  "completed",
  "rejected",
  "cancelled",
  "failed",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
/** Statuses of an execution that has not ended. */
export const OPEN_STATUSES: ExecutionStatus[] = ["running", "waiting", "awaiting-approval"];

export interface WorkflowDefinitionsTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  description: string | null;
  builtin: Builtin | null;
  trigger_type: TriggerType;
  trigger_event: string | null;
  schedule_every_hours: number | null;
  /** A cron expression read in the organization's time zone (instead of every N hours). */
  schedule_cron: string | null;
  next_run_at: Timestamp | null;
  steps: Json<Step[]>;
  version: Generated<number>;
  is_enabled: Generated<boolean>;
  created_by: string | null;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface WorkflowDefinitionVersionsTable {
  id: Generated<string>;
  organization_id: string;
  definition_id: string;
  version: number;
  name: string;
  trigger_type: TriggerType;
  trigger_event: string | null;
  schedule_every_hours: number | null;
  /** A cron expression read in the organization's time zone (instead of every N hours). */
  schedule_cron: string | null;
  steps: Json<Step[]>;
  created_by: string | null;
  created_at: CreatedAt;
}

/** What an execution remembers of its current step (the approvers it asked, an escalation). */
export interface StepState {
  escalated?: boolean;
  approverIds?: string[];
}

export interface WorkflowExecutionsTable {
  id: Generated<string>;
  organization_id: string;
  definition_id: string;
  version_id: string;
  version: number;
  status: Generated<ExecutionStatus>;
  current_step: Generated<number>;
  subject_user_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  trigger: string;
  context: JsonDefault<Record<string, unknown>>;
  step_state: JsonDefault<StepState>;
  due_at: Timestamp | null;
  escalation_level: Generated<number>;
  started_by: string | null;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  updated_at: CreatedAt;
}

export interface WorkflowExecutionEventsTable {
  id: Generated<string>;
  organization_id: string;
  execution_id: string;
  step: number | null;
  step_type: string | null;
  action: string;
  actor_id: string | null;
  note: string | null;
  at: CreatedAt;
}

export interface WorkflowTables {
  workflow_definitions: WorkflowDefinitionsTable;
  workflow_definition_versions: WorkflowDefinitionVersionsTable;
  workflow_executions: WorkflowExecutionsTable;
  workflow_execution_events: WorkflowExecutionEventsTable;
}

export type DefinitionRow = Selectable<WorkflowDefinitionsTable>;
export type DefinitionVersionRow = Selectable<WorkflowDefinitionVersionsTable>;
export type ExecutionRow = Selectable<WorkflowExecutionsTable>;
export type ExecutionEventRow = Selectable<WorkflowExecutionEventsTable>;
