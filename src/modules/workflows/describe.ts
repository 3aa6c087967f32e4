import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { holds } from "../../platform/policy/engine.js";
import { WORKFLOW_ABILITY } from "./definitions.js";
import { mayDecide, nameOf, summaryOf } from "./engine.js";
import type { ExecutionListRow } from "./executions.js";
import { executionDetailSchema, executionSchema } from "./presenter.js";
import { OPEN_STATUSES } from "./schema.js";

/** What an execution is about, in words: for the approvals inbox and the execution page. */
const described = {
  summary: z.string().describe('What is asked, e.g. "Exemption of Ann Lee from Fire safety"'),
  subjectName: z.string().nullable().describe("The name of the person it is about"),
};

export const approvalSchema = executionSchema.extend(described).meta({ id: "WorkflowApproval" });

export const executionViewSchema = executionDetailSchema
  .extend({
    ...described,
    abilities: z
      .object({
        decide: z.boolean().describe("The caller may approve or reject the step it waits for"),
        cancel: z.boolean().describe("The caller may cancel it (a workflow manager, while open)"),
      })
      .describe("What the caller may do with it now"),
  })
  .meta({ id: "WorkflowExecutionView" });

export async function describeExecution(ctx: Ctx, row: ExecutionListRow) {
  return {
    summary: await summaryOf(ctx, row, {
      builtin: row.builtin as never,
      name: row.definition_name,
    }),
    subjectName: await nameOf(ctx, row.subject_user_id),
  };
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
