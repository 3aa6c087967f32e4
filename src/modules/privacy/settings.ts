import { audit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";

/** What a learner lets their managers and administrators see (seed 001 privacy). */
export interface PrivacySettings {
  showScores: boolean;
  showActivity: boolean;
  showCertificates: boolean;
}

export const DEFAULT_PRIVACY: PrivacySettings = {
  showScores: true,
  showActivity: true,
  showCertificates: true,
};

export async function privacySettingsOf(ctx: Ctx, userId: string): Promise<PrivacySettings> {
  return (await privacySettingsFor(ctx, [userId])).get(userId) ?? DEFAULT_PRIVACY;
}

/** Several people's settings at once (lists and reports); people without settings get the defaults. */
export async function privacySettingsFor(
  ctx: Ctx,
  userIds: string[],
): Promise<Map<string, PrivacySettings>> {
  const found = new Map<string, PrivacySettings>();
  if (!userIds.length) return found;
  const rows = await ctx.db
    .selectFrom("privacy_settings")
    .selectAll()
    .where("user_id", "in", [...new Set(userIds)])
    .execute();
  for (const row of rows)
    found.set(row.user_id, {
      showScores: row.show_scores,
      showActivity: row.show_activity,
      showCertificates: row.show_certificates,
    });
  for (const id of userIds) if (!found.has(id)) found.set(id, DEFAULT_PRIVACY);
  return found;
}

export async function updatePrivacySettings(
  ctx: Ctx,
  userId: string,
  input: Partial<PrivacySettings>,
): Promise<PrivacySettings> {
  const before = await privacySettingsOf(ctx, userId);
  const after = { ...before, ...input };
  await ctx.db
    .insertInto("privacy_settings")
    .values({
      user_id: userId,
      show_scores: after.showScores,
      show_activity: after.showActivity,
      show_certificates: after.showCertificates,
      updated_at: ctx.clock.now(),
    })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({
        show_scores: after.showScores,
        show_activity: after.showActivity,
        show_certificates: after.showCertificates,
        updated_at: ctx.clock.now(),
      }),
    )
    .execute();
  await audit(ctx, {
    organizationId: null,
    action: "privacy-settings.updated",
    entityType: "user",
    entityId: userId,
    before,
    after,
  });
  return after;
}
