import { systemLog } from "../../platform/audit/audit.js";
import type { AppEvents } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { emailDomain } from "./domains.js";
import { addMember } from "./service.js";

/**
 * Email-domain auto-join: once a person proves they own an address, the active organization
 * that has *verified* the address's domain (domains.ts; at most one can) takes them in with
 * its auto-join role when it has auto-join on. A pending claim lets nobody in. A full
 * organization skips them (and says so in the system log) rather than failing the verification.
 */
export function subscribeOrganizationEvents(events: AppEvents): void {
  events.on("user.email-verified", async (ctx, { userId, email }) => {
    const domain = emailDomain(email);
    if (!domain) return;
    const orgs = await ctx.db
      .selectFrom("organizations as o")
      .innerJoin("organization_domains as d", "d.organization_id", "o.id")
      .select(["o.id", "o.auto_join_role"])
      .where("d.domain", "=", domain)
      .where("d.status", "=", "verified")
      .where("o.auto_join", "=", true)
      .where("o.status", "=", "active")
      .where("o.deleted_at", "is", null)
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
