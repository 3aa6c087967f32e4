import type { DataAccessLevel, RoleRow } from "../../db/schema.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";
import { withAdminGuard } from "./assignments.js";
import { ORGANIZATION_ROLES } from "./catalog.js";
import { assertGrantable, assertOrganizationPermissions } from "./grantable.js";

export interface RoleWithPermissions extends RoleRow {
  permissions: string[];
  memberCount: number;
}

/** Roles of an organization with their permission keys and how many people hold each. */
export async function listRoles(
  ctx: Ctx,
  organizationId: string,
  roleId?: string,
): Promise<RoleWithPermissions[]> {
  let q = ctx.db.selectFrom("roles").selectAll().where("organization_id", "=", organizationId);
  if (roleId) q = q.where("id", "=", roleId);
  const roles = await q.orderBy("priority", "desc").orderBy("name").execute();
  if (!roles.length) return [];
  const ids = roles.map((r) => r.id);
  const [permissions, counts] = await Promise.all([
    ctx.db
      .selectFrom("role_permissions")
      .select(["role_id", "permission_key"])
      .where("role_id", "in", ids)
      .orderBy("permission_key")
      .execute(),
    ctx.db
      .selectFrom("user_roles")
      .select((eb) => ["role_id", eb.fn.count<number>("user_id").distinct().as("n")])
      .where("role_id", "in", ids)
      .groupBy("role_id")
      .execute(),
  ]);
  return roles.map((role) => ({
    ...role,
    permissions: permissions.filter((p) => p.role_id === role.id).map((p) => p.permission_key),
    memberCount: Number(counts.find((c) => c.role_id === role.id)?.n ?? 0),
  }));
}

export async function getRole(
  ctx: Ctx,
  organizationId: string,
  roleId: string,
): Promise<RoleWithPermissions> {
  const [role] = await listRoles(ctx, organizationId, roleId);
  if (!role) throw new AppError("NOT_FOUND", "Role not found");
  return role;
}

export interface RoleInput {
  key: string;
  name: string;
  description?: string | null;
  dataAccessLevel?: Exclude<DataAccessLevel, "all">;
  priority?: number;
  permissions: string[];
}

/** Adds a custom role; it may hold only permissions its creator holds. */
export async function createRole(
  ctx: Ctx,
  organizationId: string,
  input: RoleInput,
): Promise<RoleWithPermissions> {
  const permissions = [...new Set(input.permissions)].sort();
  assertOrganizationPermissions(permissions);
  await assertGrantable(ctx, organizationId, permissions);
  const role = await withAdminGuard(ctx, organizationId, async (tx) => {
    let row: RoleRow;
    try {
      row = await tx.db
        .insertInto("roles")
        .values({
          organization_id: organizationId,
          key: input.key,
          name: input.name,
          description: input.description ?? null,
          is_system: false,
          data_access_level: input.dataAccessLevel ?? "own",
          priority: input.priority ?? 0,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("ALREADY_EXISTS", `A role with key ${input.key} already exists`, {
          field: "key",
        });
      throw error;
    }
    if (permissions.length) {
      await tx.db
        .insertInto("role_permissions")
        .values(
          permissions.map((k) => ({ role_id: row.id, permission_key: k, granted_by: grantor(tx) })),
        )
        .execute();
    }
    await audit(tx, {
      organizationId,
      action: "role.create",
      entityType: "role",
      entityId: row.id,
      after: { ...row, permissions },
    });
    return row;
  });
  return getRole(ctx, organizationId, role.id);
}

function grantor(ctx: Ctx): string | null {
  return ctx.actor.kind === "user" ? ctx.actor.userId : null;
}

async function lockRole(ctx: Ctx, organizationId: string, roleId: string): Promise<RoleRow> {
  const role = await ctx.db
    .selectFrom("roles")
    .selectAll()
    .where("id", "=", roleId)
    .where("organization_id", "=", organizationId)
    .forUpdate()
    .executeTakeFirst();
  if (!role) throw new AppError("NOT_FOUND", "Role not found");
  return role;
}

export interface RolePatch {
  name?: string;
  description?: string | null;
  dataAccessLevel?: Exclude<DataAccessLevel, "all">;
  priority?: number;
}

export async function updateRole(
  ctx: Ctx,
  organizationId: string,
  roleId: string,
  patch: RolePatch,
): Promise<RoleWithPermissions> {
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const before = await lockRole(tx, organizationId, roleId);
    const after = await tx.db
      .updateTable("roles")
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.dataAccessLevel ? { data_access_level: patch.dataAccessLevel } : {}),
        ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
      })
      .where("id", "=", roleId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId,
      action: "role.update",
      entityType: "role",
      entityId: roleId,
      before,
      after,
    });
  });
  return getRole(ctx, organizationId, roleId);
}

/**
 * Replaces a role's permission set (seed 002 §PUT /admin/groups/:groupId/permissions):
 * unknown or platform-wide keys are refused, added keys must be held by the editor, and a
 * change that would leave nobody able to manage roles is refused with ADMIN_LOCKOUT.
 */
export async function replaceRolePermissions(
  ctx: Ctx,
  organizationId: string,
  roleId: string,
  keys: string[],
): Promise<RoleWithPermissions> {
  const permissions = [...new Set(keys)].sort();
  assertOrganizationPermissions(permissions);
  await withAdminGuard(ctx, organizationId, async (tx) => {
    await lockRole(tx, organizationId, roleId);
    const current = (
      await tx.db
        .selectFrom("role_permissions")
        .select("permission_key")
        .where("role_id", "=", roleId)
        .execute()
    ).map((r) => r.permission_key);
    const added = permissions.filter((k) => !current.includes(k));
    const removed = current.filter((k) => !permissions.includes(k));
    await assertGrantable(tx, organizationId, added);
    if (removed.length) {
      await tx.db
        .deleteFrom("role_permissions")
        .where("role_id", "=", roleId)
        .where("permission_key", "in", removed)
        .execute();
    }
    if (added.length) {
      await tx.db
        .insertInto("role_permissions")
        .values(added.map((k) => ({ role_id: roleId, permission_key: k, granted_by: grantor(tx) })))
        .execute();
    }
    if (added.length || removed.length) {
      await audit(tx, {
        organizationId,
        action: "role.permissions-replace",
        entityType: "role",
        entityId: roleId,
        before: { permissions: current.sort() },
        after: { permissions, added, removed },
      });
    }
  });
  return getRole(ctx, organizationId, roleId);
}

/** Puts a built-in role back to the catalog's defaults. */
export async function resetRole(
  ctx: Ctx,
  organizationId: string,
  roleId: string,
): Promise<RoleWithPermissions> {
  const role = await getRole(ctx, organizationId, roleId);
  const definition = ORGANIZATION_ROLES.find((d) => d.key === role.key);
  if (!role.is_system || !definition) {
    throw new AppError("UNPROCESSABLE", "Only built-in roles have defaults to reset to");
  }
  await withAdminGuard(ctx, organizationId, async (tx) => {
    await replaceRolePermissions(tx, organizationId, roleId, [...definition.permissions]);
    await tx.db
      .updateTable("roles")
      .set({
        name: definition.name,
        description: definition.description,
        data_access_level: definition.dataAccessLevel,
        priority: definition.priority,
      })
      .where("id", "=", roleId)
      .execute();
    await audit(tx, {
      organizationId,
      action: "role.reset",
      entityType: "role",
      entityId: roleId,
      after: { key: role.key },
    });
  });
  return getRole(ctx, organizationId, roleId);
}

/** Deletes a custom role and takes it away from everyone holding it. */
export async function deleteRole(ctx: Ctx, organizationId: string, roleId: string): Promise<void> {
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const role = await lockRole(tx, organizationId, roleId);
    if (role.is_system) {
      throw new AppError(
        "SYSTEM_ROLE_PROTECTED",
        "Built-in roles cannot be deleted; reset or edit them instead",
      );
    }
    if (role.key === (await autoJoinRole(tx, organizationId))) {
      throw new AppError(
        "UNPROCESSABLE",
        "This role is given to people who join through the email domain; choose another first",
      );
    }
    const holders = await tx.db
      .selectFrom("user_roles")
      .select("user_id")
      .where("role_id", "=", roleId)
      .execute();
    await tx.db.deleteFrom("roles").where("id", "=", roleId).execute();
    await audit(tx, {
      organizationId,
      action: "role.delete",
      entityType: "role",
      entityId: roleId,
      before: { key: role.key, name: role.name, holders: holders.map((h) => h.user_id) },
    });
  });
}

async function autoJoinRole(ctx: Ctx, organizationId: string): Promise<string | undefined> {
  const org = await ctx.db
    .selectFrom("organizations")
    .select("auto_join_role")
    .where("id", "=", organizationId)
    .executeTakeFirst();
  return org?.auto_join_role;
}
