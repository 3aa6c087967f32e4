import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { holds } from "../../platform/policy/engine.js";
import { WORKFLOW_ABILITY } from "./definitions.js";
import { mayDecide, nameOf, summaryOf } from "./engine.js";
import type { ExecutionListRow } from "./executions.js";
import { executionDetailSchema, executionSchema } from "./presenter.js";
import { OPEN_STATUSES } from "./schema.js";

/** What an execution is about, in words: for the approvals inbox and the execution page. */
const describedFields = {
  summary: z.string().describe('What is asked, e.g. "Exemption of Ann Lee from Fire safety"'),
  subjectName: z.string().nullable().describe("The name of the person it is about"),
};

export const executionListItemSchema = executionSchema
  .extend({ subjectName: describedFields.subjectName })
  .meta({ id: "WorkflowExecutionListItem" });

export const approvalSchema = executionSchema
  .extend(describedFields)
  .meta({ id: "WorkflowApproval" });

export const executionViewSchema = executionDetailSchema
  .extend({
    ...describedFields,
    abilities: z
      .object({
        decide: z.boolean().describe("The caller may approve or reject the step it waits for"),
        cancel: z.boolean().describe("The caller may cancel it (a workflow manager, while open)"),
      })
      .describe("What the caller may do with it now"),
  })
  .meta({ id: "WorkflowExecutionView" });

/**
 * Each execution with what it is about, in words: the people's names in one read, a
 * built-in's own summary (one lookup of its subject each) for built-ins.
 */
export async function describeExecutions(ctx: Ctx, rows: ExecutionListRow[]) {
  const ids = [...new Set(rows.flatMap((row) => row.subject_user_id ?? []))];
  const people = ids.length
    ? await ctx.db
        .selectFrom("users")
        .select(["id", "first_name", "last_name"])
        .where("id", "in", ids)
        .execute()
    : [];
  const names = new Map(people.map((p) => [p.id, `${p.first_name} ${p.last_name}`.trim()]));
  const out = [];
  for (const row of rows)
    out.push(await described(ctx, row, names.get(row.subject_user_id ?? "") ?? null));
  return out;
}

/** One execution's summary and subject name. */
export async function describeExecution(ctx: Ctx, row: ExecutionListRow) {
  return described(ctx, row, await nameOf(ctx, row.subject_user_id));
}

async function described(ctx: Ctx, row: ExecutionListRow, subjectName: string | null) {
  const definition = { builtin: row.builtin, name: row.definition_name };
  return { row, summary: await summaryOf(ctx, row, definition, subjectName), subjectName };
}

/** What the actor may do with an execution they see. */
export async function executionAbilities(ctx: Ctx, row: ExecutionListRow) {
  const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  const open = (OPEN_STATUSES as readonly string[]).includes(row.status);
  return {
    decide: userId !== null && (await mayDecide(ctx, row, userId)),
    cancel: open && holds(await ctx.actor.access(), WORKFLOW_ABILITY, row.organization_id),
  };
}
