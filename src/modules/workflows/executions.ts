import { sql } from "kysely";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { type PageRequest, paginate, sortOf } from "../../platform/http/pagination.js";
import { holds } from "../../platform/policy/engine.js";
import { WORKFLOW_ABILITY } from "./definitions.js";
import { approverMemo, mayDecide } from "./engine.js";
import type { Builtin, ExecutionEventRow, ExecutionRow, ExecutionStatus } from "./schema.js";

export interface ExecutionListQuery extends PageRequest {
  definitionId?: string;
  status?: ExecutionStatus;
  subjectId?: string;
}

/**
 * An organization's executions, newest first, by definition, status or what they are about,
 * each with the name of the person it is about (one join, so a list names everyone).
 */
export async function listExecutions(ctx: Ctx, organizationId: string, query: ExecutionListQuery) {
  let q = ctx.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .leftJoin("users as su", "su.id", "e.subject_user_id")
    .selectAll("e")
    .select(["d.name as definition_name", "d.builtin"])
    .select(
      sql<string | null>`nullif(trim(su.first_name || ' ' || su.last_name), '')`.as("subject_name"),
    )
    .where("e.organization_id", "=", organizationId);
  if (query.definitionId) q = q.where("e.definition_id", "=", query.definitionId);
  if (query.status) q = q.where("e.status", "=", query.status);
  const subject = query.subjectId;
  if (subject)
    q = q.where((eb) =>
      eb.or([eb("e.subject_user_id", "=", subject), eb("e.subject_id", "=", subject)]),
    );
  return paginate(
    q,
    query,
    sortOf(query.sort, { startedAt: "e.started_at", updatedAt: "e.updated_at" }),
    "e.id",
  );
}

export type ExecutionListRow = ExecutionRow & {
  definition_name: string;
  builtin: Builtin | null;
};

/**
 * An execution the actor may see: their organization's workflow managers, the person it is
 * about, and whoever may decide its approval now. Others (another organization's
 * administrators included) get NOT_FOUND.
 */
export async function visibleExecution(ctx: Ctx, id: string): Promise<ExecutionListRow> {
  const [row, access] = await Promise.all([
    ctx.db
      .selectFrom("workflow_executions as e")
      .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
      .selectAll("e")
      .select(["d.name as definition_name", "d.builtin"])
      .where("e.id", "=", id)
      .executeTakeFirst(),
    ctx.actor.access(),
  ]);
  if (!row) throw new AppError("NOT_FOUND", "Workflow execution not found");
  if (holds(access, WORKFLOW_ABILITY, row.organization_id)) return row;
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (userId && (row.subject_user_id === userId || row.started_by === userId)) return row;
  if (userId && (await mayDecide(ctx, row, userId))) return row;
  throw new AppError("NOT_FOUND", "Workflow execution not found");
}

export async function executionHistory(
  ctx: Ctx,
  executionId: string,
): Promise<(ExecutionEventRow & { actor_name: string | null })[]> {
  const rows = await ctx.db
    .selectFrom("workflow_execution_events as ev")
    .leftJoin("users as u", "u.id", "ev.actor_id")
    .selectAll("ev")
    .select(["u.first_name", "u.last_name"])
    .where("ev.execution_id", "=", executionId)
    .orderBy("ev.at")
    .orderBy("ev.id")
    .execute();
  return rows.map(({ first_name, last_name, ...r }) => ({
    ...r,
    actor_name: first_name ? `${first_name} ${last_name ?? ""}`.trim() : null,
  }));
}

/** Open approvals the caller may decide, in their organizations. */
export async function approvalsForMe(ctx: Ctx): Promise<ExecutionListRow[]> {
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (!userId) return [];
  const rows = await ctx.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .innerJoin("organization_members as m", (join) =>
      join.onRef("m.organization_id", "=", "e.organization_id").on("m.user_id", "=", userId),
    )
    .selectAll("e")
    .select(["d.name as definition_name", "d.builtin"])
    .where("e.status", "=", "awaiting-approval")
    .orderBy("e.started_at")
    .limit(500)
    .execute();
  const memo = approverMemo();
  const mine: ExecutionListRow[] = [];
  for (const row of rows) if (await mayDecide(ctx, row, userId, memo)) mine.push(row);
  return mine;
}
