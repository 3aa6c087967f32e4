import { audit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate } from "../../platform/http/pagination.js";
import { authorize } from "../../platform/policy/engine.js";
import { assignRole, withAdminGuard } from "./assignments.js";
import { assertGrantable } from "./grantable.js";

export interface AssignmentQuery {
  page: number;
  limit: number;
  userId?: string;
  roleKey?: string;
}

/** Who holds which role in an organization, with the scope and expiry of each assignment. */
export async function listAssignments(ctx: Ctx, organizationId: string, query: AssignmentQuery) {
  let q = ctx.db
    .selectFrom("user_roles as ur")
    .innerJoin("roles as r", "r.id", "ur.role_id")
    .innerJoin("users as u", "u.id", "ur.user_id")
    .select([
      "ur.id",
      "ur.user_id",
      "ur.department_id",
      "ur.team_id",
      "ur.assigned_by",
      "ur.assigned_at",
      "ur.expires_at",
      "r.id as role_id",
      "r.key as role_key",
      "r.name as role_name",
      "u.email",
      "u.first_name",
      "u.last_name",
    ])
    .where("ur.organization_id", "=", organizationId);
  if (query.userId) q = q.where("ur.user_id", "=", query.userId);
  if (query.roleKey) q = q.where("r.key", "=", query.roleKey);
  return paginate(q, query, { column: "ur.assigned_at", direction: "desc" }, "ur.id");
}

/** Where the person stands in the organization, for scope checks on who may change their roles. */
async function memberTarget(ctx: Ctx, organizationId: string, userId: string) {
  const member = await ctx.db
    .selectFrom("organization_members")
    .select(["department_id"])
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!member)
    throw new AppError("NOT_FOUND", "This person is not a member of the organization", {
      field: "userId",
    });
  const teams = await ctx.db
    .selectFrom("team_members")
    .select("team_id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .execute();
  return {
    organizationId,
    ownerId: userId,
    departmentId: member.department_id,
    teamIds: teams.map((t) => t.team_id),
  };
}

export interface AssignmentInput {
  userId: string;
  roleKey: string;
  departmentId?: string | null;
  teamId?: string | null;
  expiresAt?: string | null;
}

/**
 * Gives someone a role. The assigner must reach the person (a department administrator only
 * their department's members) and must hold every permission of the role.
 */
export async function createAssignment(ctx: Ctx, organizationId: string, input: AssignmentInput) {
  const access = await ctx.actor.access();
  const target = await memberTarget(ctx, organizationId, input.userId);
  if (ctx.actor.kind !== "system") authorize(access, "roles:assign", target);
  const role = await ctx.db
    .selectFrom("roles")
    .select(["id"])
    .where("organization_id", "=", organizationId)
    .where("key", "=", input.roleKey)
    .executeTakeFirst();
  if (!role)
    throw new AppError("NOT_FOUND", `Role ${input.roleKey} not found in this organization`, {
      field: "roleKey",
    });
  const keys = (
    await ctx.db
      .selectFrom("role_permissions")
      .select("permission_key")
      .where("role_id", "=", role.id)
      .execute()
  ).map((r) => r.permission_key);
  await assertGrantable(ctx, organizationId, keys, "roleKey");
  for (const [field, table, id] of [
    ["departmentId", "departments", input.departmentId],
    ["teamId", "teams", input.teamId],
  ] as const) {
    if (!id) continue;
    const found = await ctx.db
      .selectFrom(table)
      .select("id")
      .where("id", "=", id)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!found)
      throw new AppError(
        "NOT_FOUND",
        `${field === "teamId" ? "Team" : "Department"} not found in this organization`,
        { field },
      );
  }
  const result = await assignRole(ctx, {
    organizationId,
    userId: input.userId,
    roleKey: input.roleKey,
    departmentId: input.departmentId ?? null,
    teamId: input.teamId ?? null,
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
  });
  return result.id;
}

/** Takes a role assignment away; refused when it would leave the organization without an administrator. */
export async function deleteAssignment(
  ctx: Ctx,
  organizationId: string,
  assignmentId: string,
): Promise<void> {
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const row = await tx.db
      .selectFrom("user_roles as ur")
      .innerJoin("roles as r", "r.id", "ur.role_id")
      .select(["ur.id", "ur.user_id", "r.key"])
      .where("ur.id", "=", assignmentId)
      .where("ur.organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!row) throw new AppError("NOT_FOUND", "Role assignment not found");
    if (tx.actor.kind !== "system")
      authorize(
        await tx.actor.access(),
        "roles:assign",
        await memberTarget(tx, organizationId, row.user_id),
      );
    await tx.db.deleteFrom("user_roles").where("id", "=", assignmentId).execute();
    await audit(tx, {
      organizationId,
      action: "role.unassign",
      entityType: "user-role",
      entityId: assignmentId,
      before: { user_id: row.user_id, role: row.key },
    });
  });
}
