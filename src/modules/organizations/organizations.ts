import type { OrganizationRow } from "../../db/schema.js";
import { likePattern } from "../../db/values.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { widestScope } from "../../platform/policy/engine.js";

export interface OrganizationListQuery {
  page: number;
  limit: number;
  search?: string;
  status?: "pending-payment" | "active" | "suspended";
}

/** Platform administrators see every organization; everyone else the ones they belong to. */
export async function listOrganizations(ctx: Ctx, query: OrganizationListQuery) {
  const access = await ctx.actor.access();
  const everything = widestScope(access, "organizations:read", null) === "all";
  let q = ctx.db.selectFrom("organizations as o").selectAll("o").where("o.deleted_at", "is", null);
  if (!everything) {
    const userId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
    if (!userId)
      return {
        rows: [] as OrganizationRow[],
        pagination: {
          page: 1,
          limit: query.limit,
          total: 0,
          totalPages: 1,
          hasNext: false,
          hasPrev: false,
        },
      };
    q = q.where(
      "o.id",
      "in",
      ctx.db
        .selectFrom("organization_members")
        .select("organization_id")
        .where("user_id", "=", userId),
    );
  }
  if (query.search) {
    const pattern = likePattern(query.search);
    q = q.where((eb) =>
      eb.or([
        eb("o.name", "ilike", pattern),
        eb("o.slug", "ilike", pattern),
        eb.exists(
          eb
            .selectFrom("organization_domains as d")
            .select("d.id")
            .whereRef("d.organization_id", "=", "o.id")
            .where("d.domain", "ilike", pattern),
        ),
      ]),
    );
  }
  if (query.status) q = q.where("o.status", "=", query.status);
  return paginate(q, query, { column: "o.name", direction: "asc" }, "o.id");
}

export async function getOrganization(ctx: Ctx, organizationId: string): Promise<OrganizationRow> {
  const org = await ctx.db
    .selectFrom("organizations")
    .selectAll()
    .where("id", "=", organizationId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!org) throw new AppError("NOT_FOUND", "Organization not found");
  return org;
}

export interface OrganizationPatch {
  name?: string;
  slug?: string;
  autoJoin?: boolean;
  autoJoinRole?: string;
  contactEmail?: string | null;
  contactName?: string | null;
  seatsPurchased?: number | null;
  status?: "pending-payment" | "active" | "suspended";
  timezone?: string;
  locale?: string;
}

/**
 * Changes an organization's settings. Seats cannot drop below the seats in use, the
 * auto-join role must exist, and the status (billing state) is the platform's to change.
 * Auto-join is the organization's own choice: it only ever applies to the domains the
 * organization proved it owns (domains.ts).
 */
export async function updateOrganization(
  ctx: Ctx,
  organizationId: string,
  patch: OrganizationPatch,
): Promise<OrganizationRow> {
  if (patch.status !== undefined && ctx.actor.kind !== "system") {
    const access = await ctx.actor.access();
    if (widestScope(access, "organizations:update", null) !== "all") {
      throw new AppError(
        "FORBIDDEN",
        "Only platform administrators change an organization's status",
        { field: "status" },
      );
    }
  }
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("organizations")
      .selectAll()
      .where("id", "=", organizationId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError("NOT_FOUND", "Organization not found");
    if (
      patch.seatsPurchased !== undefined &&
      patch.seatsPurchased !== null &&
      patch.seatsPurchased < before.seats_used
    ) {
      throw new AppError(
        "UNPROCESSABLE",
        `${before.seats_used} seats are in use; remove members before lowering the seat count`,
        {
          field: "seatsPurchased",
          details: { seatsUsed: before.seats_used },
        },
      );
    }
    if (patch.autoJoinRole) {
      const role = await tx.db
        .selectFrom("roles")
        .select("id")
        .where("organization_id", "=", organizationId)
        .where("key", "=", patch.autoJoinRole)
        .executeTakeFirst();
      if (!role)
        throw new AppError(
          "NOT_FOUND",
          `Role ${patch.autoJoinRole} not found in this organization`,
          { field: "autoJoinRole" },
        );
    }
    let after: OrganizationRow;
    try {
      after = await tx.db
        .updateTable("organizations")
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
          ...(patch.autoJoin !== undefined ? { auto_join: patch.autoJoin } : {}),
          ...(patch.autoJoinRole !== undefined ? { auto_join_role: patch.autoJoinRole } : {}),
          ...(patch.contactEmail !== undefined ? { contact_email: patch.contactEmail } : {}),
          ...(patch.contactName !== undefined ? { contact_name: patch.contactName } : {}),
          ...(patch.seatsPurchased !== undefined ? { seats_purchased: patch.seatsPurchased } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
        })
        .where("id", "=", organizationId)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, "organizations_slug_key"))
        throw new AppError("SLUG_TAKEN", "Another organization uses this slug", { field: "slug" });
      throw error;
    }
    await auditUpdate(tx, {
      organizationId,
      action: "organization.update",
      entityType: "organization",
      entityId: organizationId,
      before,
      after,
    });
    return after;
  });
}

/**
 * Soft-deletes an organization: it disappears from every list, its grants stop working, and
 * its domain claims go (so another organization may verify them).
 */
export async function deleteOrganization(ctx: Ctx, organizationId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const org = await getOrganization(tx, organizationId);
    await tx.db
      .updateTable("organizations")
      .set({
        deleted_at: tx.clock.now(),
        slug: `${org.slug}-deleted-${org.id.slice(-8)}`,
      })
      .where("id", "=", organizationId)
      .execute();
    await tx.db
      .updateTable("api_keys")
      .set({ revoked_at: tx.clock.now(), is_active: false })
      .where("organization_id", "=", organizationId)
      .where("revoked_at", "is", null)
      .execute();
    const domains = await tx.db
      .deleteFrom("organization_domains")
      .where("organization_id", "=", organizationId)
      .returning("domain")
      .execute();
    await audit(tx, {
      organizationId,
      action: "organization.delete",
      entityType: "organization",
      entityId: organizationId,
      before: { name: org.name, slug: org.slug, domains: domains.map((d) => d.domain) },
    });
  });
}

/** The organization's IANA time zone: cron expressions and local times are read in it. */
export async function organizationTimezone(ctx: Ctx, organizationId: string): Promise<string> {
  const org = await ctx.db
    .selectFrom("organizations")
    .select("timezone")
    .where("id", "=", organizationId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!org) throw new AppError("NOT_FOUND", "Organization not found");
  return org.timezone;
}
