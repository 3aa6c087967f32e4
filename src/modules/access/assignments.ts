import { sql } from "kysely";
import type { Db } from "../../db/connection.js";
import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { ADMIN_PERMISSION } from "./catalog.js";

export interface RoleAssignmentInput {
  organizationId: string;
  userId: string;
  roleKey: string;
  departmentId?: string | null;
  teamId?: string | null;
  expiresAt?: Date | null;
}

/**
 * Gives a member an organization role (idempotent: assigning a held role updates its
 * department, team and expiry). The person must be a member of the organization.
 */
export async function assignRole(
  ctx: Ctx,
  input: RoleAssignmentInput,
): Promise<{ id: string; roleId: string }> {
  return withAdminGuard(ctx, input.organizationId, async (tx) => {
    const role = await tx.db
      .selectFrom("roles")
      .select(["id", "key"])
      .where("organization_id", "=", input.organizationId)
      .where("key", "=", input.roleKey)
      .executeTakeFirst();
    if (!role)
      throw new AppError("NOT_FOUND", `Role ${input.roleKey} not found in this organization`, {
        field: "roleKey",
      });
    const member = await tx.db
      .selectFrom("organization_members")
      .select("id")
      .where("organization_id", "=", input.organizationId)
      .where("user_id", "=", input.userId)
      .executeTakeFirst();
    if (!member)
      throw new AppError("NOT_FOUND", "This person is not a member of the organization", {
        field: "userId",
      });
    const assignedBy = tx.actor.kind === "user" ? tx.actor.userId : null;
    const row = await tx.db
      .insertInto("user_roles")
      .values({
        user_id: input.userId,
        role_id: role.id,
        organization_id: input.organizationId,
        department_id: input.departmentId ?? null,
        team_id: input.teamId ?? null,
        expires_at: input.expiresAt ?? null,
        assigned_by: assignedBy,
        assigned_at: tx.clock.now(),
      })
      .onConflict((oc) =>
        oc.columns(["user_id", "role_id"]).doUpdateSet({
          department_id: input.departmentId ?? null,
          team_id: input.teamId ?? null,
          expires_at: input.expiresAt ?? null,
        }),
      )
      .returning(["id"])
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId: input.organizationId,
      action: "role.assign",
      entityType: "user-role",
      entityId: row.id,
      after: {
        user_id: input.userId,
        role: role.key,
        department_id: input.departmentId ?? null,
        team_id: input.teamId ?? null,
        expires_at: input.expiresAt ?? null,
      },
    });
    return { id: row.id, roleId: role.id };
  });
}

/** Takes an organization role away from a person; refuses to remove the last administrator. */
export async function unassignRole(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  roleKey: string,
): Promise<void> {
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const removed = await tx.db
      .deleteFrom("user_roles")
      .where("user_id", "=", userId)
      .where("organization_id", "=", organizationId)
      .where(
        "role_id",
        "in",
        tx.db
          .selectFrom("roles")
          .select("id")
          .where("organization_id", "=", organizationId)
          .where("key", "=", roleKey),
      )
      .returning(["id"])
      .executeTakeFirst();
    if (!removed) throw new AppError("NOT_FOUND", "This person does not hold that role");
    await audit(tx, {
      organizationId,
      action: "role.unassign",
      entityType: "user-role",
      entityId: removed.id,
      before: { user_id: userId, role: roleKey },
    });
  });
}

/**
 * Role assignments in an organization that carry `permissionKey` now: unexpired, held by an
 * active member whose account is active. One row per assignment (`ur`, joined to `u`).
 */
export function holdersOf(db: Db, organizationId: string, permissionKey: string, now: Date) {
  return db
    .selectFrom("user_roles as ur")
    .innerJoin("role_permissions as rp", "rp.role_id", "ur.role_id")
    .innerJoin("organization_members as m", (j) =>
      j.onRef("m.user_id", "=", "ur.user_id").onRef("m.organization_id", "=", "ur.organization_id"),
    )
    .innerJoin("users as u", "u.id", "ur.user_id")
    .where("ur.organization_id", "=", organizationId)
    .where("rp.permission_key", "=", permissionKey)
    .where((eb) => eb.or([eb("ur.expires_at", "is", null), eb("ur.expires_at", ">", now)]))
    .where("m.status", "=", "active")
    .where("u.status", "=", "active")
    .where("u.deleted_at", "is", null);
}

/** How many people can manage an organization's roles right now (see {@link withAdminGuard}). */
export async function countAdministrators(
  db: Db,
  organizationId: string,
  now: Date,
): Promise<number> {
  const row = await holdersOf(db, organizationId, ADMIN_PERMISSION, now)
    .select(sql<number>`count(distinct ur.user_id)`.as("admins"))
    .where("ur.department_id", "is", null)
    .where("ur.team_id", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.admins);
}

/**
 * Runs a change to an organization's roles, permissions or members in a transaction and
 * refuses it (rolling it back) when it would lock every administrator out: when the
 * organization had someone able to manage roles (an active member holding
 * `roles:manage:organization` organization-wide and unexpired) before, and nobody after.
 */
export async function withAdminGuard<T>(
  ctx: Ctx,
  organizationId: string,
  change: (tx: Ctx) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (tx) => {
    // Serialize guarded changes per organization so two concurrent removals cannot each
    // see the other administrator and together remove both.
    await sql`select pg_advisory_xact_lock(hashtext(${`admin-guard:${organizationId}`}))`.execute(
      tx.db,
    );
    const before = await countAdministrators(tx.db, organizationId, tx.clock.now());
    const result = await change(tx);
    if (before > 0 && (await countAdministrators(tx.db, organizationId, tx.clock.now())) === 0) {
      throw new AppError(
        "ADMIN_LOCKOUT",
        "This change would leave the organization without an administrator who can manage roles",
        { details: { requiredPermission: ADMIN_PERMISSION } },
      );
    }
    return result;
  });
}
