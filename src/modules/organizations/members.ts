import { sql } from "kysely";
import { likePattern } from "../../db/values.js";
import { audit, auditUpdate } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/http/errors.js";
import { paginate, sortOf } from "../../platform/http/pagination.js";
import { authorize, type Target, widestScope } from "../../platform/policy/engine.js";
import { withAdminGuard } from "../access/assignments.js";
import { assertRolesGrantable } from "../access/grantable.js";
import { accountAtOwnedDomain } from "./domains.js";
import { createInvite, type InviteRow } from "./invites.js";
import type { MemberView } from "./presenter.js";
import { addMember } from "./service.js";
import { assertDepartmentIn, assertMemberIn } from "./structure.js";
import { memberVisibility, visibleMembersWhere } from "./visibility.js";

export const MEMBER_SORTS = ["joinedAt", "lastName", "email"] as const;
const SORT_COLUMNS = { joinedAt: "m.joined_at", lastName: "u.last_name", email: "u.email" };

export interface MemberQuery {
  page: number;
  limit: number;
  sort: string;
  status?: "active" | "suspended";
  departmentId?: string;
  teamId?: string;
  role?: string;
  search?: string;
}

function baseQuery(ctx: Ctx, organizationId: string) {
  return ctx.db
    .selectFrom("organization_members as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .leftJoin("departments as d", "d.id", "m.department_id")
    .select([
      "m.user_id",
      "u.email",
      "u.first_name",
      "u.last_name",
      "u.avatar_file_id",
      "u.status as account_status",
      "u.last_login_at",
      "m.status",
      "m.title",
      "m.employee_id",
      "m.manager_user_id",
      "m.hire_date",
      "m.location",
      "m.department_id",
      "d.name as department_name",
      "m.source",
      "m.joined_at",
    ])
    .where("m.organization_id", "=", organizationId);
}

async function withTeamsAndRoles<T extends { user_id: string }>(
  ctx: Ctx,
  organizationId: string,
  rows: T[],
) {
  const ids = rows.map((r) => r.user_id);
  if (!ids.length) return [];
  const [teams, roles] = await Promise.all([
    ctx.db
      .selectFrom("team_members as tm")
      .innerJoin("teams as t", "t.id", "tm.team_id")
      .select(["tm.user_id", "t.id", "t.name", "tm.role"])
      .where("tm.organization_id", "=", organizationId)
      .where("tm.user_id", "in", ids)
      .orderBy("t.name")
      .execute(),
    ctx.db
      .selectFrom("user_roles as ur")
      .innerJoin("roles as r", "r.id", "ur.role_id")
      .select(["ur.user_id", "r.key"])
      .where("ur.organization_id", "=", organizationId)
      .where("ur.user_id", "in", ids)
      .orderBy("r.priority", "desc")
      .execute(),
  ]);
  return rows.map((row) => ({
    ...row,
    teams: teams
      .filter((t) => t.user_id === row.user_id)
      .map((t) => ({ id: t.id, name: t.name, role: t.role })),
    roles: roles.filter((r) => r.user_id === row.user_id).map((r) => r.key),
  }));
}

/** Members the actor may see, filtered, searched, sorted and paged. */
export async function listMembers(ctx: Ctx, organizationId: string, query: MemberQuery) {
  const visibility = memberVisibility(await ctx.actor.access(), organizationId);
  let q = baseQuery(ctx, organizationId);
  if (!visibility.everyone)
    q = q.where(
      visibleMembersWhere(visibility, { userId: "m.user_id", departmentId: "m.department_id" }),
    );
  if (query.status) q = q.where("m.status", "=", query.status);
  if (query.departmentId) q = q.where("m.department_id", "=", query.departmentId);
  if (query.teamId) {
    const teamId = query.teamId;
    q = q.where(
      "m.user_id",
      "in",
      ctx.db.selectFrom("team_members").select("user_id").where("team_id", "=", teamId),
    );
  }
  if (query.role) {
    const role = query.role;
    q = q.where(
      "m.user_id",
      "in",
      ctx.db
        .selectFrom("user_roles as ur")
        .innerJoin("roles as r", "r.id", "ur.role_id")
        .select("ur.user_id")
        .where("ur.organization_id", "=", organizationId)
        .where("r.key", "=", role),
    );
  }
  if (query.search) {
    const pattern = likePattern(query.search.trim());
    q = q.where((eb) =>
      eb.or([
        eb("u.email", "ilike", pattern),
        eb(sql`u.first_name || ' ' || u.last_name`, "ilike", pattern),
      ]),
    );
  }
  const { rows, pagination } = await paginate(
    q,
    query,
    sortOf(query.sort, SORT_COLUMNS),
    "m.user_id",
  );
  return {
    members: (await withTeamsAndRoles(ctx, organizationId, rows)) as MemberView[],
    pagination,
  };
}

/** One member with teams and roles, or NOT_FOUND. */
export async function loadMember(
  ctx: Ctx,
  organizationId: string,
  userId: string,
): Promise<MemberView> {
  const row = await baseQuery(ctx, organizationId)
    .where("m.user_id", "=", userId)
    .executeTakeFirst();
  if (!row) throw new AppError("NOT_FOUND", "Member not found");
  const [member] = await withTeamsAndRoles(ctx, organizationId, [row]);
  return member as MemberView;
}

/** The policy target describing a member: their department and teams. */
export function memberTarget(organizationId: string, member: MemberView): Target {
  return {
    organizationId,
    ownerId: member.user_id,
    departmentId: member.department_id,
    teamIds: member.teams.map((t) => t.id),
  };
}

/** A member the actor may see; others answer NOT_FOUND so their existence is not revealed. */
export async function getMember(
  ctx: Ctx,
  organizationId: string,
  userId: string,
): Promise<MemberView> {
  const member = await loadMember(ctx, organizationId, userId);
  const access = await ctx.actor.access();
  try {
    authorize(access, "members:read", memberTarget(organizationId, member));
  } catch {
    throw new AppError("NOT_FOUND", "Member not found");
  }
  return member;
}

export interface AddMemberRequest {
  userId?: string;
  email?: string;
  roleKeys?: string[];
  departmentId?: string | null;
  title?: string | null;
  employeeId?: string | null;
  /** YYYY-MM-DD; kept when the person is added at once (an invitation does not carry it). */
  hireDate?: string | null;
  location?: string | null;
}

export type AddMemberResult =
  | { outcome: "added"; member: MemberView }
  | { outcome: "invited"; invite: InviteRow };

/**
 * Whether the actor may make anyone a member without asking them: only the platform
 * administrator (and the system itself). Organizations may do so only for the people of the
 * email domains they verified (`accountAtOwnedDomain`).
 */
async function addsWithoutConsent(ctx: Ctx, organizationId: string): Promise<boolean> {
  if (ctx.actor.kind === "system") return true;
  if (ctx.actor.kind !== "user") return false;
  return widestScope(await ctx.actor.access(), "members:manage", organizationId) === "all";
}

/**
 * Brings a person into the organization, with their consent: for everyone but the platform
 * administrator this creates (or reuses) a pending invitation to the address and mails it,
 * and the person joins when they accept. The answer is the same whether or not the address
 * has an account, so it tells nothing about who uses Lyceum — except inside a domain the
 * organization verified, whose verified accounts are added at once (the organization owns
 * those addresses, so learning which of them have accounts tells it only about its own).
 * By account id only the platform administrator may add (an id would name an account whose
 * address the caller may not know).
 */
export async function addOrInviteMember(
  ctx: Ctx,
  organizationId: string,
  input: AddMemberRequest,
): Promise<AddMemberResult> {
  if (await addsWithoutConsent(ctx, organizationId)) {
    return { outcome: "added", member: await addExistingMember(ctx, organizationId, input) };
  }
  if (!input.email) {
    throw new AppError(
      "FORBIDDEN",
      "Invite people by email; only the platform administrator adds an account by its id",
      { field: "userId" },
    );
  }
  const owned = await accountAtOwnedDomain(ctx, organizationId, input.email);
  if (owned) {
    return {
      outcome: "added",
      member: await addExistingMember(ctx, organizationId, {
        ...input,
        userId: owned,
        email: undefined,
      }),
    };
  }
  const { invite } = await createInvite(
    ctx,
    organizationId,
    {
      email: input.email,
      roleKeys: input.roleKeys,
      departmentId: input.departmentId,
      title: input.title,
      employeeId: input.employeeId,
    },
    { ability: "members:manage", reusePending: true },
  );
  return { outcome: "invited", invite };
}

/**
 * Adds an existing account to the organization (by id or email) at once, within the actor's
 * reach. Only for callers who may skip consent, or for accounts of a domain the organization
 * verified (see `addOrInviteMember`).
 */
export async function addExistingMember(
  ctx: Ctx,
  organizationId: string,
  input: AddMemberRequest,
): Promise<MemberView> {
  const user = await ctx.db
    .selectFrom("users")
    .select(["id"])
    .where("deleted_at", "is", null)
    .where((eb) =>
      input.userId
        ? eb("id", "=", input.userId)
        : eb("email", "=", (input.email ?? "").toLowerCase()),
    )
    .executeTakeFirst();
  if (!user)
    throw new AppError("NOT_FOUND", "No account with this id or email; invite the person instead", {
      field: input.userId ? "userId" : "email",
    });
  if (input.departmentId) await assertDepartmentIn(ctx, organizationId, input.departmentId);
  authorize(await ctx.actor.access(), "members:manage", {
    organizationId,
    ownerId: user.id,
    departmentId: input.departmentId ?? null,
  });
  await assertRolesGrantable(ctx, organizationId, input.roleKeys ?? []);
  await addMember(ctx, organizationId, {
    userId: user.id,
    roleKeys: input.roleKeys,
    departmentId: input.departmentId,
    title: input.title,
    employeeId: input.employeeId,
    hireDate: input.hireDate,
    location: input.location,
    source: "admin",
  });
  return loadMember(ctx, organizationId, user.id);
}

export interface MemberPatch {
  departmentId?: string | null;
  title?: string | null;
  employeeId?: string | null;
  managerUserId?: string | null;
  /** YYYY-MM-DD. */
  hireDate?: string | null;
  location?: string | null;
  status?: "active" | "suspended";
}

/**
 * Changes a member's department, title, manager or status. Moving someone into a department
 * needs reach over both the old and the new one; suspending the last administrator is refused.
 */
export async function updateMember(
  ctx: Ctx,
  organizationId: string,
  userId: string,
  patch: MemberPatch,
): Promise<MemberView> {
  const member = await loadMember(ctx, organizationId, userId);
  const access = await ctx.actor.access();
  authorize(access, "members:manage", memberTarget(organizationId, member));
  if (patch.departmentId) {
    await assertDepartmentIn(ctx, organizationId, patch.departmentId);
    authorize(access, "members:manage", {
      ...memberTarget(organizationId, member),
      departmentId: patch.departmentId,
    });
  }
  if (patch.managerUserId) {
    if (patch.managerUserId === userId)
      throw new AppError("VALIDATION_ERROR", "A person cannot be their own manager", {
        field: "managerUserId",
      });
    await assertMemberIn(ctx, organizationId, patch.managerUserId, "managerUserId");
  }
  if (patch.status === "suspended" && ctx.actor.kind === "user" && ctx.actor.userId === userId) {
    throw new AppError("UNPROCESSABLE", "You cannot suspend your own membership", {
      field: "status",
    });
  }
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const before = await tx.db
      .selectFrom("organization_members")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const after = await tx.db
      .updateTable("organization_members")
      .set({
        ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.employeeId !== undefined ? { employee_id: patch.employeeId } : {}),
        ...(patch.managerUserId !== undefined ? { manager_user_id: patch.managerUserId } : {}),
        ...(patch.hireDate !== undefined ? { hire_date: patch.hireDate } : {}),
        ...(patch.location !== undefined ? { location: patch.location } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
      })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditUpdate(tx, {
      organizationId,
      action: "member.update",
      entityType: "organization-member",
      entityId: before.id,
      before,
      after,
    });
    await tx.events.emit(tx, "organization.membership-changed", { organizationId, userId: userId });
  });
  return loadMember(ctx, organizationId, userId);
}

/**
 * Removes a member: their roles and team places in the organization go with them and their
 * seat is freed. Removing the last administrator is refused.
 */
export async function removeMember(
  ctx: Ctx,
  organizationId: string,
  userId: string,
): Promise<void> {
  const member = await loadMember(ctx, organizationId, userId);
  authorize(await ctx.actor.access(), "members:manage", memberTarget(organizationId, member));
  await withAdminGuard(ctx, organizationId, async (tx) => {
    const removed = await tx.db
      .deleteFrom("organization_members")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new AppError("NOT_FOUND", "Member not found");
    await tx.db
      .deleteFrom("user_roles")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .execute();
    await tx.db
      .deleteFrom("team_members")
      .where("organization_id", "=", organizationId)
      .where("user_id", "=", userId)
      .execute();
    await tx.db
      .updateTable("organizations")
      .set({ seats_used: sql`greatest(seats_used - 1, 0)` })
      .where("id", "=", organizationId)
      .execute();
    await audit(tx, {
      organizationId,
      action: "member.remove",
      entityType: "organization-member",
      entityId: removed.id,
      before: { ...removed, roles: member.roles, teams: member.teams.map((t) => t.id) },
    });
    await tx.events.emit(tx, "organization.membership-changed", { organizationId, userId: userId });
  });
}
