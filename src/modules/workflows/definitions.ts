import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../platform/http/pagination.js";
import { holds } from "../../platform/policy/engine.js";
import { organizationTimezone } from "../organizations/organizations.js";
import { nextScheduledRun, scheduleColumns } from "./schedule.js";
import {
  type Builtin,
  type DefinitionRow,
  type DefinitionVersionRow,
  OPEN_STATUSES,
  type TriggerType,
} from "./schema.js";
import { checkSteps, type Step, TRIGGER_EVENT_NAMES, type TriggerEventName } from "./steps.js";

/** Who defines an organization's workflows and follows their executions. */
export const WORKFLOW_ABILITY = "workflows:manage" as const;

export interface DefinitionInput {
  name: string;
  description?: string | null;
  trigger: {
    type: TriggerType;
    event?: TriggerEventName | null;
    everyHours?: number | null;
    cron?: string | null;
  };
  steps: Step[];
  enabled?: boolean;
}

/**
 * The approvals Lyceum runs as workflows. Each organization gets its own editable copy the
 * first time it is used or listed: the approver, timeout and escalation can be changed, the
 * kind cannot. Publication approval starts turned off; the others on.
 */
export const BUILTIN_DEFINITIONS: Partial<
  Record<Builtin, { name: string; description: string; enabled: boolean; steps: Step[] }>
> = {
  "compliance-exemption": {
    name: "Compliance exemption approval",
    description:
      "An exemption asked for by someone other than a compliance officer waits for a compliance officer's approval.",
    enabled: true,
    steps: [
      {
        type: "approval",
        approver: { kind: "role", role: "compliance-officer" },
        timeoutHours: 72,
        escalateTo: { kind: "role", role: "org-admin" },
      },
    ],
  },
  "enrollment-approval": {
    name: "Enrollment approval",
    description:
      "A request to join a course that takes enrollments by approval waits for the course's instructor or staff, escalating to the organization's administrators after a week.",
    enabled: true,
    steps: [
      {
        type: "approval",
        approver: { kind: "course-team" },
        timeoutHours: 168,
        escalateTo: { kind: "role", role: "org-admin" },
      },
    ],
  },
  "course-publication": {
    name: "Course publication approval",
    description:
      "When turned on, publishing a course of the organization by someone without the approver's role asks a content administrator first.",
    enabled: false,
    steps: [
      {
        type: "approval",
        approver: { kind: "role", role: "content-admin" },
        timeoutHours: 120,
        escalateTo: { kind: "role", role: "org-admin" },
      },
    ],
  },
};

function userOf(ctx: Ctx): string | null {
  return ctx.actor.kind === "user" ? ctx.actor.userId : null;
}

const NO_SCHEDULE = { schedule_every_hours: null, schedule_cron: null };

/**
 * A trigger's columns and when it runs next (schedules only; a cron expression is read in the
 * organization's time zone).
 */
async function triggerColumns(ctx: Ctx, organizationId: string, input: DefinitionInput["trigger"]) {
  if (input.type === "event") {
    if (!input.event || !TRIGGER_EVENT_NAMES.includes(input.event))
      throw new AppError(
        "VALIDATION_ERROR",
        `An event trigger needs one of: ${TRIGGER_EVENT_NAMES.join(", ")}`,
        { field: "trigger.event" },
      );
    return {
      trigger_type: "event" as const,
      trigger_event: input.event,
      ...NO_SCHEDULE,
      next_run_at: null,
    };
  }
  if (input.type === "schedule") {
    const timezone = await organizationTimezone(ctx, organizationId);
    const now = ctx.clock.now();
    const schedule = scheduleColumns(input, timezone, now);
    return {
      trigger_type: "schedule" as const,
      trigger_event: null,
      ...schedule,
      next_run_at: nextScheduledRun(schedule, timezone, now),
    };
  }
  return {
    trigger_type: "manual" as const,
    trigger_event: null,
    ...NO_SCHEDULE,
    next_run_at: null,
  };
}

async function checkCourses(ctx: Ctx, organizationId: string, steps: Step[]): Promise<void> {
  for (const [index, step] of steps.entries()) {
    if (step.type === "notification" && step.recipient.kind === "user") {
      const member = await ctx.db
        .selectFrom("organization_members")
        .select("id")
        .where("organization_id", "=", organizationId)
        .where("user_id", "=", step.recipient.userId)
        .executeTakeFirst();
      if (!member)
        throw new AppError("NOT_FOUND", `Step ${index + 1} (notification): user not found`, {
          field: `steps.${index}.recipient.userId`,
        });
    }
    if (step.type !== "assignment") continue;
    const course = await ctx.db
      .selectFrom("courses")
      .select(["organization_id", "status"])
      .where("id", "=", step.courseId)
      .executeTakeFirst();
    if (!course || (course.organization_id !== null && course.organization_id !== organizationId))
      throw new AppError("NOT_FOUND", `Step ${index + 1} (assignment): course not found`, {
        field: `steps.${index}.courseId`,
      });
  }
}

async function checkNameFree(ctx: Ctx, organizationId: string, name: string, except?: string) {
  let q = ctx.db
    .selectFrom("workflow_definitions")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (except) q = q.where("id", "!=", except);
  if (await q.executeTakeFirst())
    throw new AppError("ALREADY_EXISTS", "A workflow with this name already exists", {
      field: "name",
    });
}

async function saveVersion(ctx: Ctx, row: DefinitionRow): Promise<void> {
  await ctx.db
    .insertInto("workflow_definition_versions")
    .values({
      organization_id: row.organization_id,
      definition_id: row.id,
      version: row.version,
      name: row.name,
      trigger_type: row.trigger_type,
      trigger_event: row.trigger_event,
      schedule_every_hours: row.schedule_every_hours,
      schedule_cron: row.schedule_cron,
      steps: JSON.stringify(row.steps),
      created_by: userOf(ctx),
    })
    .execute();
}

function audited(row: DefinitionRow) {
  return {
    name: row.name,
    description: row.description,
    builtin: row.builtin,
    trigger_type: row.trigger_type,
    trigger_event: row.trigger_event,
    schedule_every_hours: row.schedule_every_hours,
    schedule_cron: row.schedule_cron,
    steps: row.steps,
    version: row.version,
    is_enabled: row.is_enabled,
  };
}

export async function createDefinition(
  ctx: Ctx,
  organizationId: string,
  input: DefinitionInput,
): Promise<DefinitionRow> {
  const trigger = await triggerColumns(ctx, organizationId, input.trigger);
  checkSteps(input.steps, trigger.trigger_type !== "schedule");
  await checkCourses(ctx, organizationId, input.steps);
  return inTransaction(ctx, async (tx) => {
    await checkNameFree(tx, organizationId, input.name);
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("workflow_definitions")
      .values({
        organization_id: organizationId,
        name: input.name,
        description: input.description ?? null,
        builtin: null,
        ...trigger,
        steps: JSON.stringify(input.steps),
        is_enabled: input.enabled ?? true,
        created_by: userOf(tx),
        updated_by: userOf(tx),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await saveVersion(tx, row);
    await audit(tx, {
      organizationId,
      action: "workflow.create",
      entityType: "workflow",
      entityId: row.id,
      after: audited(row),
    });
    return row;
  });
}

/** The organization's copy of a built-in workflow, made on first use. */
export async function ensureBuiltin(
  ctx: Ctx,
  organizationId: string,
  builtin: Builtin,
): Promise<DefinitionRow> {
  const existing = await ctx.db
    .selectFrom("workflow_definitions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("builtin", "=", builtin)
    .executeTakeFirst();
  if (existing) return existing;
  const def = BUILTIN_DEFINITIONS[builtin];
  if (!def) throw new AppError("NOT_FOUND", "Workflow not found");
  return inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const row = await tx.db
      .insertInto("workflow_definitions")
      .values({
        organization_id: organizationId,
        name: def.name,
        description: def.description,
        builtin,
        trigger_type: "manual",
        trigger_event: null,
        ...NO_SCHEDULE,
        next_run_at: null,
        steps: JSON.stringify(def.steps),
        is_enabled: def.enabled,
        created_by: null,
        updated_by: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row)
      return tx.db
        .selectFrom("workflow_definitions")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("builtin", "=", builtin)
        .executeTakeFirstOrThrow();
    await saveVersion(tx, row);
    await audit(tx, {
      organizationId,
      action: "workflow.create",
      entityType: "workflow",
      entityId: row.id,
      after: audited(row),
    });
    return row;
  });
}

export async function ensureBuiltins(ctx: Ctx, organizationId: string): Promise<void> {
  for (const builtin of Object.keys(BUILTIN_DEFINITIONS) as Builtin[])
    await ensureBuiltin(ctx, organizationId, builtin);
}

/** A definition the actor may manage, or NOT_FOUND (also for another organization's). */
export async function visibleDefinition(ctx: Ctx, id: string): Promise<DefinitionRow> {
  const [row, access] = await Promise.all([
    ctx.db.selectFrom("workflow_definitions").selectAll().where("id", "=", id).executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row || !holds(access, WORKFLOW_ABILITY, row.organization_id))
    throw new AppError("NOT_FOUND", "Workflow not found");
  return row;
}

export interface DefinitionListQuery extends PageRequest {
  enabled?: boolean;
  builtin?: boolean;
}

export async function listDefinitions(
  ctx: Ctx,
  organizationId: string,
  query: DefinitionListQuery,
) {
  await ensureBuiltins(ctx, organizationId);
  let q = ctx.db
    .selectFrom("workflow_definitions")
    .selectAll()
    .where("organization_id", "=", organizationId);
  if (query.enabled !== undefined) q = q.where("is_enabled", "=", query.enabled);
  if (query.builtin !== undefined) q = q.where("builtin", query.builtin ? "is not" : "is", null);
  return paginate(q, query, sortOf(query.sort, { name: "name", createdAt: "created_at" }), "id");
}

/** How many executions of each definition are still open (running, waiting or asking). */
export async function openExecutionCounts(
  ctx: Ctx,
  definitionIds: string[],
): Promise<Map<string, number>> {
  if (!definitionIds.length) return new Map();
  const rows = await ctx.db
    .selectFrom("workflow_executions")
    .select(["definition_id", (eb) => eb.fn.countAll<string>().as("open")])
    .where("definition_id", "in", definitionIds)
    .where("status", "in", OPEN_STATUSES)
    .groupBy("definition_id")
    .execute();
  return new Map(rows.map((r) => [r.definition_id, Number(r.open)]));
}

export async function definitionVersions(
  ctx: Ctx,
  definition: DefinitionRow,
): Promise<DefinitionVersionRow[]> {
  return ctx.db
    .selectFrom("workflow_definition_versions")
    .selectAll()
    .where("definition_id", "=", definition.id)
    .orderBy("version", "desc")
    .execute();
}

export type DefinitionPatch = Partial<DefinitionInput>;

/**
 * Changes a definition. A change of its name, trigger or steps makes a new version; running
 * executions go on with the version they started with. Built-in workflows keep their trigger
 * and their single approval.
 */
export async function updateDefinition(
  ctx: Ctx,
  id: string,
  patch: DefinitionPatch,
): Promise<DefinitionRow> {
  const before = await visibleDefinition(ctx, id);
  if (before.builtin && patch.trigger)
    throw new AppError("VALIDATION_ERROR", "A built-in workflow's trigger cannot change", {
      field: "trigger",
    });
  if (before.builtin && patch.steps) {
    const approvals = patch.steps.filter((s) => s.type === "approval").length;
    if (approvals !== 1)
      throw new AppError(
        "VALIDATION_ERROR",
        "A built-in approval workflow needs exactly one approval step",
        { field: "steps" },
      );
  }
  const trigger = patch.trigger
    ? await triggerColumns(ctx, before.organization_id, patch.trigger)
    : null;
  const steps = patch.steps ?? before.steps;
  const triggerType = trigger?.trigger_type ?? before.trigger_type;
  if (patch.steps || trigger) checkSteps(steps, triggerType !== "schedule");
  if (patch.steps) await checkCourses(ctx, before.organization_id, patch.steps);
  const newVersion =
    (patch.name !== undefined && patch.name !== before.name) ||
    patch.steps !== undefined ||
    trigger !== null;
  return inTransaction(ctx, async (tx) => {
    if (patch.name !== undefined) await checkNameFree(tx, before.organization_id, patch.name, id);
    const after = await tx.db
      .updateTable("workflow_definitions")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.enabled !== undefined ? { is_enabled: patch.enabled } : {}),
        ...(patch.steps ? { steps: JSON.stringify(patch.steps) } : {}),
        ...(trigger ?? {}),
        ...(newVersion ? { version: before.version + 1 } : {}),
        updated_by: userOf(tx),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (newVersion) await saveVersion(tx, after);
    await auditUpdate(tx, {
      organizationId: before.organization_id,
      action: "workflow.update",
      entityType: "workflow",
      entityId: id,
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

/** Deletes a definition that never ran; one with executions is turned off instead. */
export async function deleteDefinition(ctx: Ctx, id: string): Promise<void> {
  const row = await visibleDefinition(ctx, id);
  if (row.builtin)
    throw new AppError("CONFLICT", "A built-in workflow cannot be deleted; turn it off instead");
  const ran = await ctx.db
    .selectFrom("workflow_executions")
    .select("id")
    .where("definition_id", "=", id)
    .executeTakeFirst();
  if (ran)
    throw new AppError(
      "CONFLICT",
      "The workflow has executions whose history must stay; turn it off instead",
    );
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("workflow_definitions").where("id", "=", id).execute();
    await audit(tx, {
      organizationId: row.organization_id,
      action: "workflow.delete",
      entityType: "workflow",
      entityId: id,
      before: audited(row),
    });
  });
}
