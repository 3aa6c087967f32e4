import { sql } from "kysely";
import type { OrganizationRow } from "../../db/schema.js";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { slugify } from "../../platform/slug.js";
import { assignRole } from "../access/assignments.js";
import { provisionOrganizationRoles } from "../access/provision.js";
import { addVerifiedDomain, normalizeDomain } from "./domains.js";

export interface CreateOrganizationInput {
  name: string;
  slug?: string;
  /** An email domain recorded as verified on the creator's word (platform administrators, the CLI). */
  domain?: string | null;
  autoJoin?: boolean;
  contactEmail?: string | null;
  contactName?: string | null;
  seatsPurchased?: number | null;
  status?: "pending-payment" | "active" | "suspended";
  timezone?: string;
  locale?: string;
  /** An existing person who becomes the first org-admin. */
  adminUserId?: string | null;
}

/**
 * Creates an organization with its own copy of the built-in roles and, optionally, its first
 * administrator and a verified email domain (creating organizations is the platform's, so its
 * word stands in for the DNS check).
 */
export async function createOrganization(
  ctx: Ctx,
  input: CreateOrganizationInput,
): Promise<OrganizationRow> {
  if (input.domain) normalizeDomain(input.domain);
  return inTransaction(ctx, async (tx) => {
    let org: OrganizationRow;
    try {
      org = await tx.db
        .insertInto("organizations")
        .values({
          name: input.name.trim(),
          slug: input.slug ?? slugify(input.name, "organization"),
          auto_join: input.autoJoin ?? false,
          contact_email: input.contactEmail ?? null,
          contact_name: input.contactName ?? null,
          seats_purchased: input.seatsPurchased ?? null,
          status: input.status ?? "active",
          timezone: input.timezone ?? "UTC",
          locale: input.locale ?? "en",
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, "organizations_slug_key")) {
        throw new AppError("SLUG_TAKEN", "Another organization uses this slug", { field: "slug" });
      }
      throw error;
    }
    await provisionOrganizationRoles(tx.db, org.id);
    if (input.domain) await addVerifiedDomain(tx, org.id, input.domain);
    await audit(tx, {
      organizationId: org.id,
      action: "organization.create",
      entityType: "organization",
      entityId: org.id,
      after: org,
    });
    if (input.adminUserId) {
      await addMember(tx, org.id, {
        userId: input.adminUserId,
        roleKeys: ["org-admin"],
        source: "admin",
      });
      org = await tx.db
        .selectFrom("organizations")
        .selectAll()
        .where("id", "=", org.id)
        .executeTakeFirstOrThrow();
    }
    return org;
  });
}

export interface AddMemberInput {
  userId: string;
  roleKeys?: string[];
  departmentId?: string | null;
  title?: string | null;
  employeeId?: string | null;
  managerUserId?: string | null;
  /** YYYY-MM-DD. */
  hireDate?: string | null;
  location?: string | null;
  source?: "admin" | "invite" | "domain" | "seed" | "integration";
}

/**
 * Makes a person a member, taking one seat when the organization has a seat limit (the
 * seat is taken with a conditional update, so concurrent joins never exceed it).
 */
export async function addMember(ctx: Ctx, organizationId: string, input: AddMemberInput) {
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", input.userId)
      .executeTakeFirst();
    if (existing)
      throw new AppError("ALREADY_MEMBER", "This person is already a member of the organization");
    const seat = await tx.db
      .updateTable("organizations")
      .set({ seats_used: sql`seats_used + 1` })
      .where("id", "=", organizationId)
      .where("deleted_at", "is", null)
      .where((eb) =>
        eb.or([
          eb("seats_purchased", "is", null),
          eb("seats_used", "<", eb.ref("seats_purchased")),
        ]),
      )
      .returning(["id"])
      .executeTakeFirst();
    if (!seat) {
      const org = await tx.db
        .selectFrom("organizations")
        .select(["id"])
        .where("id", "=", organizationId)
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!org) throw new AppError("NOT_FOUND", "Organization not found");
      throw new AppError("SEATS_EXHAUSTED", "Every purchased seat of this organization is in use");
    }
    const member = await tx.db
      .insertInto("organization_members")
      .values({
        organization_id: organizationId,
        user_id: input.userId,
        department_id: input.departmentId ?? null,
        title: input.title ?? null,
        employee_id: input.employeeId ?? null,
        manager_user_id: input.managerUserId ?? null,
        hire_date: input.hireDate ?? null,
        location: input.location ?? null,
        source: input.source ?? "admin",
        joined_at: tx.clock.now(),
        created_at: tx.clock.now(),
        updated_at: tx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "member.add",
      entityType: "organization-member",
      entityId: member.id,
      after: member,
    });
    for (const roleKey of input.roleKeys?.length ? input.roleKeys : ["learner"]) {
      await assignRole(tx, { organizationId, userId: input.userId, roleKey });
    }
    await tx.events.emit(tx, "organization.membership-changed", {
      organizationId,
      userId: input.userId,
    });
    return member;
  });
}
