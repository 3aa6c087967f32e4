import type { Ctx } from "../../platform/context.js";

export type HiddenFromManagers = "scores" | "activity" | "certificates";

/**
 * What each learner keeps from their managers (their privacy settings, `GET/PUT
 * /users/me/privacy`, modules/privacy): learner id → what to leave out. People without settings
 * hide nothing.
 */
export async function learnerPrivacy(
  ctx: Ctx,
  userIds: string[],
): Promise<Map<string, HiddenFromManagers[]>> {
  const found = new Map<string, HiddenFromManagers[]>();
  if (!userIds.length) return found;
  const rows = await ctx.db
    .selectFrom("privacy_settings")
    .selectAll()
    .where("user_id", "in", [...new Set(userIds)])
    .execute();
  for (const row of rows) {
    const hidden: HiddenFromManagers[] = [];
    if (!row.show_scores) hidden.push("scores");
    if (!row.show_activity) hidden.push("activity");
    if (!row.show_certificates) hidden.push("certificates");
    if (hidden.length) found.set(row.user_id, hidden);
  }
  return found;
}
