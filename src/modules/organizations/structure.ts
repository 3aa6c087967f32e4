import { audit } from "../../platform/audit/audit.js";
import { type Ctx, inTransaction } from "../../platform/context.js";
import { AppError, isUniqueViolation } from "../../platform/http/errors.js";

export interface DepartmentInput {
  name: string;
  code?: string | null;
  description?: string | null;
  parentId?: string | null;
  headUserId?: string | null;
}

/** Checks that a referenced department belongs to the organization. */
export async function assertDepartmentIn(ctx: Ctx, organizationId: string, departmentId: string) {
  const found = await ctx.db
    .selectFrom("departments")
    .select("id")
    .where("id", "=", departmentId)
    .where("organization_id", "=", organizationId)
    .executeTakeFirst();
  if (!found)
    throw new AppError("NOT_FOUND", "Department not found in this organization", {
      field: "departmentId",
    });
}

/** Checks that a referenced person is a member of the organization. */
export async function assertMemberIn(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  field = "userId",
) {
  const found = await ctx.db
    .selectFrom("organization_members")
    .select("id")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!found)
    throw new AppError("NOT_FOUND", "This person is not a member of the organization", { field });
}

export async function createDepartment(ctx: Ctx, organizationId: string, input: DepartmentInput) {
  return inTransaction(ctx, async (tx) => {
    if (input.parentId) await assertDepartmentIn(tx, organizationId, input.parentId);
    if (input.headUserId) await assertMemberIn(tx, organizationId, input.headUserId, "headUserId");
    try {
      const row = await tx.db
        .insertInto("departments")
        .values({
          organization_id: organizationId,
          name: input.name.trim(),
          code: input.code ?? null,
          description: input.description ?? null,
          parent_id: input.parentId ?? null,
          head_user_id: input.headUserId ?? null,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        organizationId,
        action: "department.create",
        entityType: "department",
        entityId: row.id,
        after: row,
      });
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError("ALREADY_EXISTS", "A department with this name already exists", {
          field: "name",
        });
      }
      throw error;
    }
  });
}

export interface TeamInput {
  name: string;
  description?: string | null;
  departmentId?: string | null;
  managerUserId?: string | null;
}

export async function createTeam(ctx: Ctx, organizationId: string, input: TeamInput) {
  return inTransaction(ctx, async (tx) => {
    if (input.departmentId) await assertDepartmentIn(tx, organizationId, input.departmentId);
    if (input.managerUserId)
      await assertMemberIn(tx, organizationId, input.managerUserId, "managerUserId");
    try {
      const row = await tx.db
        .insertInto("teams")
        .values({
          organization_id: organizationId,
          name: input.name.trim(),
          description: input.description ?? null,
          department_id: input.departmentId ?? null,
          manager_user_id: input.managerUserId ?? null,
          created_at: tx.clock.now(),
          updated_at: tx.clock.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        organizationId,
        action: "team.create",
        entityType: "team",
        entityId: row.id,
        after: row,
      });
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError("ALREADY_EXISTS", "A team with this name already exists", {
          field: "name",
        });
      }
      throw error;
    }
  });
}

/** Adds a member to a team, or changes their role in it. */
export async function addTeamMember(
  ctx: Ctx,
  organizationId: string,
  teamId: string,
  userId: string,
  role: "member" | "lead" = "member",
) {
  return inTransaction(ctx, async (tx) => {
    const team = await tx.db
      .selectFrom("teams")
      .select("id")
      .where("id", "=", teamId)
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    if (!team) throw new AppError("NOT_FOUND", "Team not found");
    await assertMemberIn(tx, organizationId, userId);
    const row = await tx.db
      .insertInto("team_members")
      .values({
        team_id: teamId,
        user_id: userId,
        organization_id: organizationId,
        role,
        joined_at: tx.clock.now(),
      })
      .onConflict((oc) => oc.columns(["team_id", "user_id"]).doUpdateSet({ role }))
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      organizationId,
      action: "team.member-add",
      entityType: "team",
      entityId: teamId,
      after: { user_id: userId, role },
    });
    return row;
  });
}
