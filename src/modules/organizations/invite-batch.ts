import { z } from "zod";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { createInvite, type InviteInput, type InviteRow } from "./invites.js";

/** The most invitations one request sends (a CSV of a team or a department). */
export const MAX_BATCH_INVITES = 500;

/** What became of one row of a batch: its invitation, or why it was refused. */
export type BatchOutcome = { row: number; email: string } & (
  | { status: "invited"; invite: InviteRow }
  | { status: "failed"; error: { code: string; message: string; field: string | null } }
);

const emailSchema = z.email().max(255);

/**
 * Invites many people, each row as one invitation alone would be (`createInvite`): in its own
 * transaction, with its own checks and mail, so an address that is refused (not an address,
 * already a member, already invited, a role the caller may not give, too many mails) leaves
 * the others invited. An address named twice is invited once; the second row is refused as
 * already invited. Rows are taken in order, and each outcome names its row (0-based) and
 * address. A fault that is not a refusal (the database or the mailer failing) is logged and
 * reported on its row, so the rows already sent are still said to be sent.
 */
export async function inviteMany(
  ctx: Ctx,
  organizationId: string,
  rows: readonly InviteInput[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const [row, input] of rows.entries()) {
    const failed = (code: string, message: string, field: string | null = null) =>
      outcomes.push({ row, email: input.email, status: "failed", error: { code, message, field } });
    if (!emailSchema.safeParse(input.email).success) {
      failed("VALIDATION_ERROR", "Enter a valid email address", "email");
      continue;
    }
    try {
      const { invite } = await createInvite(ctx, organizationId, input);
      outcomes.push({ row, email: invite.email, status: "invited", invite });
    } catch (error) {
      if (error instanceof AppError) failed(error.code, error.message, error.field ?? null);
      else {
        ctx.log.error({ err: error, organizationId, row }, "an invitation of a batch failed");
        failed("INTERNAL_ERROR", "This invitation could not be sent; try it again");
      }
    }
  }
  return outcomes;
}
