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
    await tx.events.emit(tx, "organization.membership-changed", { organizationId, userId: userId });
    return row;
  });
}

/** Departments with how many members each has. */
export async function listDepartments(ctx: Ctx, organizationId: string, departmentId?: string) {
  let q = ctx.db
    .selectFrom("departments as d")
    .selectAll("d")
    .select((eb) =>
      eb
        .selectFrom("organization_members as m")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("m.department_id", "=", "d.id")
        .as("member_count"),
    )
    .where("d.organization_id", "=", organizationId);
  if (departmentId) q = q.where("d.id", "=", departmentId);
  return q.orderBy("d.name").execute();
}

export function presentDepartment(d: Awaited<ReturnType<typeof listDepartments>>[number]) {
  return {
    id: d.id,
    name: d.name,
    code: d.code,
    description: d.description,
    parentId: d.parent_id,
    headUserId: d.head_user_id,
    memberCount: Number(d.member_count ?? 0),
    createdAt: d.created_at.toISOString(),
    updatedAt: d.updated_at.toISOString(),
  };
}

export async function getDepartment(ctx: Ctx, organizationId: string, departmentId: string) {
  const [department] = await listDepartments(ctx, organizationId, departmentId);
  if (!department) throw new AppError("NOT_FOUND", "Department not found");
  return department;
}

/** Renames or moves a department; a department can never become its own ancestor. */
export async function updateDepartment(
  ctx: Ctx,
  organizationId: string,
  departmentId: string,
  patch: Partial<DepartmentInput>,
) {
  return inTransaction(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom("departments")
      .selectAll()
      .where("id", "=", departmentId)
      .where("organization_id", "=", organizationId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new AppError("NOT_FOUND", "Department not found");
    if (patch.parentId) {
      await assertDepartmentIn(tx, organizationId, patch.parentId);
      let cursor: string | null = patch.parentId;
      for (let depth = 0; cursor && depth < 100; depth++) {
        if (cursor === departmentId) {
          throw new AppError(
            "UNPROCESSABLE",
            "A department cannot sit inside itself or its own sub-departments",
            { field: "parentId" },
          );
        }
        const parent: { parent_id: string | null } | undefined = await tx.db
          .selectFrom("departments")
          .select("parent_id")
          .where("id", "=", cursor)
          .executeTakeFirst();
        cursor = parent?.parent_id ?? null;
      }
    }
    if (patch.headUserId) await assertMemberIn(tx, organizationId, patch.headUserId, "headUserId");
    try {
      const after = await tx.db
        .updateTable("departments")
        .set({
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.code !== undefined ? { code: patch.code } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.parentId !== undefined ? { parent_id: patch.parentId } : {}),
          ...(patch.headUserId !== undefined ? { head_user_id: patch.headUserId } : {}),
        })
        .where("id", "=", departmentId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        organizationId,
        action: "department.update",
        entityType: "department",
        entityId: departmentId,
        before,
        after,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("ALREADY_EXISTS", "A department with this name already exists", {
          field: "name",
        });
      throw error;
    }
    return getDepartment(tx, organizationId, departmentId);
  });
}

/** Deletes a department with no sub-departments; its members and teams keep existing without one. */
export async function deleteDepartment(
  ctx: Ctx,
  organizationId: string,
  departmentId: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const department = await getDepartment(tx, organizationId, departmentId);
    const child = await tx.db
      .selectFrom("departments")
      .select("id")
      .where("parent_id", "=", departmentId)
      .executeTakeFirst();
    if (child)
      throw new AppError("UNPROCESSABLE", "Move or delete this department's sub-departments first");
    await tx.db.deleteFrom("departments").where("id", "=", departmentId).execute();
    await audit(tx, {
      organizationId,
      action: "department.delete",
      entityType: "department",
      entityId: departmentId,
      before: department,
    });
  });
}

export interface TeamRow {
  id: string;
  organization_id: string;
  department_id: string | null;
  name: string;
  description: string | null;
  manager_user_id: string | null;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  member_count: number | string | null;
}

export async function listTeams(
  ctx: Ctx,
  organizationId: string,
  filter: { teamIds?: string[]; departmentId?: string } = {},
): Promise<TeamRow[]> {
  let q = ctx.db
    .selectFrom("teams as t")
    .selectAll("t")
    .select((eb) =>
      eb
        .selectFrom("team_members as tm")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("tm.team_id", "=", "t.id")
        .as("member_count"),
    )
    .where("t.organization_id", "=", organizationId);
  if (filter.teamIds) {
    if (!filter.teamIds.length) return [];
    q = q.where("t.id", "in", filter.teamIds);
  }
  if (filter.departmentId) q = q.where("t.department_id", "=", filter.departmentId);
  return q.orderBy("t.name").execute();
}

export async function getTeam(ctx: Ctx, organizationId: string, teamId: string): Promise<TeamRow> {
  const [team] = await listTeams(ctx, organizationId, { teamIds: [teamId] });
  if (!team) throw new AppError("NOT_FOUND", "Team not found");
  return team;
}

export async function teamMembers(ctx: Ctx, teamId: string) {
  return ctx.db
    .selectFrom("team_members as tm")
    .innerJoin("users as u", "u.id", "tm.user_id")
    .select(["tm.user_id", "tm.role", "u.first_name", "u.last_name", "u.email"])
    .where("tm.team_id", "=", teamId)
    .orderBy("u.last_name")
    .execute();
}

export function presentTeam(team: TeamRow, members?: Awaited<ReturnType<typeof teamMembers>>) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    departmentId: team.department_id,
    managerUserId: team.manager_user_id,
    isActive: team.is_active,
    memberCount: Number(team.member_count ?? 0),
    ...(members
      ? {
          members: members.map((m) => ({
            userId: m.user_id,
            name: `${m.first_name} ${m.last_name}`,
            email: m.email,
            role: m.role,
          })),
        }
      : {}),
    createdAt: team.created_at.toISOString(),
    updatedAt: team.updated_at.toISOString(),
  };
}

export async function updateTeam(
  ctx: Ctx,
  organizationId: string,
  teamId: string,
  patch: Partial<TeamInput> & { isActive?: boolean },
): Promise<TeamRow> {
  return inTransaction(ctx, async (tx) => {
    const before = await getTeam(tx, organizationId, teamId);
    if (patch.departmentId) await assertDepartmentIn(tx, organizationId, patch.departmentId);
    if (patch.managerUserId)
      await assertMemberIn(tx, organizationId, patch.managerUserId, "managerUserId");
    try {
      const after = await tx.db
        .updateTable("teams")
        .set({
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
          ...(patch.managerUserId !== undefined ? { manager_user_id: patch.managerUserId } : {}),
          ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
        })
        .where("id", "=", teamId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        organizationId,
        action: "team.update",
        entityType: "team",
        entityId: teamId,
        before,
        after,
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AppError("ALREADY_EXISTS", "A team with this name already exists", {
          field: "name",
        });
      throw error;
    }
    return getTeam(tx, organizationId, teamId);
  });
}

export async function deleteTeam(ctx: Ctx, organizationId: string, teamId: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const team = await getTeam(tx, organizationId, teamId);
    await tx.db.deleteFrom("teams").where("id", "=", teamId).execute();
    await audit(tx, {
      organizationId,
      action: "team.delete",
      entityType: "team",
      entityId: teamId,
      before: team,
    });
  });
}

export async function removeTeamMember(
  ctx: Ctx,
  organizationId: string,
  teamId: string,
  userId: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const removed = await tx.db
      .deleteFrom("team_members")
      .where("team_id", "=", teamId)
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new AppError("NOT_FOUND", "This person is not in the team");
    await audit(tx, {
      organizationId,
      action: "team.member-remove",
      entityType: "team",
      entityId: teamId,
      before: { user_id: userId, role: removed.role },
    });
    await tx.events.emit(tx, "organization.membership-changed", { organizationId, userId: userId });
  });
}
