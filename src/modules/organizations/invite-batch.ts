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

/**
 * Invites many people, each row as one invitation alone would be (`createInvite`): in its own
 * transaction, with its own checks and mail, so an address that is refused (already a member,
 * already invited, a role the caller may not give, too many mails) leaves the others invited.
 * An address named twice is invited once; the second row is refused as already invited.
 * Rows are taken in order, and each outcome names its row (0-based) and address.
 */
export async function inviteMany(
  ctx: Ctx,
  organizationId: string,
  rows: readonly InviteInput[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const [row, input] of rows.entries()) {
    try {
      const { invite } = await createInvite(ctx, organizationId, input);
      outcomes.push({ row, email: invite.email, status: "invited", invite });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({
        row,
        email: input.email,
        status: "failed",
        error: { code: error.code, message: error.message, field: error.field ?? null },
      });
    }
  }
  return outcomes;
}
