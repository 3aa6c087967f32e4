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

/**
 * Open approvals the caller may decide: in the organizations they belong to, and those that
 * ask the team of a course they teach or staff (a platform instructor of an organization's
 * course need not be its member). mayDecide has the last word on each.
 */
export async function approvalsForMe(ctx: Ctx): Promise<ExecutionListRow[]> {
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  if (!userId) return [];
  const rows = await ctx.db
    .selectFrom("workflow_executions as e")
    .innerJoin("workflow_definitions as d", "d.id", "e.definition_id")
    .selectAll("e")
    .select(["d.name as definition_name", "d.builtin"])
    .where("e.status", "=", "awaiting-approval")
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("organization_members as m")
            .select("m.user_id")
            .whereRef("m.organization_id", "=", "e.organization_id")
            .where("m.user_id", "=", userId),
        ),
        eb.exists(
          eb
            .selectFrom("courses as c")
            .select("c.id")
            // The context's course id, cast only when it is one (by the primary key).
            .where(
              "c.id",
              "=",
              sql<string>`case when e.context->>'courseId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                               then (e.context->>'courseId')::uuid end`,
            )
            .where((team) =>
              team.or([
                team("c.instructor_id", "=", userId),
                team.exists(
                  team
                    .selectFrom("course_staff as s")
                    .select("s.user_id")
                    .whereRef("s.course_id", "=", "c.id")
                    .where("s.user_id", "=", userId),
                ),
              ]),
            ),
        ),
      ]),
    )
    .orderBy("e.started_at")
    .limit(500)
    .execute();
  const memo = approverMemo();
  const mine: ExecutionListRow[] = [];
  for (const row of rows) if (await mayDecide(ctx, row, userId, memo)) mine.push(row);
  return mine;
}
