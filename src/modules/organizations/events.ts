import { systemLog } from "../../platform/audit/audit.js";
import type { AppEvents } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { addMember } from "./service.js";

/**
 * Email-domain auto-join: once a person proves they own an address, every active
 * organization that claims the address's domain with auto-join on takes them in with its
 * auto-join role. A full organization skips them (and says so in the system log) rather
 * than failing the verification.
 */
export function subscribeOrganizationEvents(events: AppEvents): void {
  events.on("user.email-verified", async (ctx, { userId, email }) => {
    const domain = email.split("@")[1]?.toLowerCase();
    if (!domain) return;
    const orgs = await ctx.db
      .selectFrom("organizations")
      .select(["id", "auto_join_role"])
      .where("domain", "=", domain)
      .where("auto_join", "=", true)
      .where("status", "=", "active")
      .where("deleted_at", "is", null)
      .execute();
    for (const org of orgs) {
      const member = await ctx.db
        .selectFrom("organization_members")
        .select("id")
        .where("organization_id", "=", org.id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (member) continue;
      try {
        await addMember(ctx, org.id, {
          userId,
          roleKeys: [...new Set(["learner", org.auto_join_role])],
          source: "domain",
        });
      } catch (error) {
        if (error instanceof AppError && error.code === "SEATS_EXHAUSTED") {
          await systemLog(ctx, {
            event: "organization.auto-join-skipped",
            level: "warn",
            userId,
            organizationId: org.id,
            message: "No seat left for a verified person of the organization's domain",
          });
          continue;
        }
        throw error;
      }
    }
  });
}
